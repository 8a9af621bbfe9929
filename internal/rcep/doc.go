// Package rcep is 享惠智选: the service that tells an enterprise which free
// trade agreement gives its goods the lowest duty, and whether the goods
// meet that agreement's rule of origin.
//
// The parts, one file each:
//
//   - numbers.go: rates in basis points (基点, 0.01%), money in fen (分) and
//     weights in grams, so that every comparison is exact integer
//     arithmetic;
//   - hs.go: HS codes (税号) and their chapter, heading and subheading;
//   - dataset.go: the tariff data of one imported version (协定、缔约方、
//     商品、最惠国税率、协定税率、产品特定原产地规则);
//   - importer.go: the import format and its checks, reported by line;
//   - xlsx.go: the same format in an Excel workbook (.xlsx), and how cells
//     Excel turned into numbers are read;
//   - rule.go: the grammar of product-specific rules (RVC40、CC、CTH、CTSH、
//     WO and their combinations with 或/且);
//   - origin.go: the origin calculator — regional value content by the
//     build-down and build-up formulas (RCEP 第3.5条) and the de minimis
//     allowance (RCEP 第3.7条);
//   - choose.go: the chooser (智选): every applicable agreement's rate
//     against the MFN rate, the duty saved and the best choice;
//   - usage.go: one record per query, and the statistics derived from them.
//
// The package imports neither net/http nor a SQL driver: the store
// (internal/store/rcep.go) keeps the records and the web layer
// (internal/web/routes_rcep.go) shows them.
package rcep
