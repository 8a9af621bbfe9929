// Package sample ships the sample tariff data (示例数据) of 享惠智选: a
// handful of tariff lines under RCEP, 中国—东盟, 中韩, 中澳 and 中新, written
// in the import format for tests and the demo. The figures follow the
// structure of real schedules but are NOT official rates; the version's
// title says 示例数据, and every page that answers from it says so.
package sample

import _ "embed"

// CSV is the sample data file, sample.csv.
//
//go:embed sample.csv
var CSV []byte

// Name is the file name imports record as the source.
const Name = "sample.csv"
