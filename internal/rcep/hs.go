package rcep

import (
	"strings"

	"gongkai/internal/errs"
)

// HS codes (税号) are kept as digits only: "0805.21.00" is stored as
// "08052100". The first two digits are the chapter (章), four the heading
// (品目), six the subheading (子目); China's tariff lines have 8 digits and
// its statistical codes 10.

// CleanHS removes the separators people write in HS codes (dots, spaces,
// hyphens) and checks that what is left is 2 to 10 digits in a chapter
// that exists (01–97, chapter 77 being reserved). It does not check the
// length a context needs; see ParseLineHS and ParseMaterialHS.
func CleanHS(s string) (string, error) {
	t := strings.Map(func(r rune) rune {
		switch r {
		case '.', ' ', '-', '．', '。', '\u3000':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if t == "" {
		return "", errs.E(errs.Invalid, "税号为空")
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return "", errs.E(errs.Invalid, "税号“%s”格式不正确：只能包含数字（可用点分隔，如 0805.21.00）", s)
		}
	}
	if len(t) < 2 || len(t) > 10 {
		return "", errs.E(errs.Invalid, "税号“%s”格式不正确：应为 2 至 10 位数字", s)
	}
	ch := Chapter(t)
	if ch < 1 || ch > 97 || ch == 77 {
		return "", errs.E(errs.Invalid, "税号“%s”格式不正确：第 %02d 章不存在（HS 编码为第 01–97 章，第 77 章保留未用）", s, ch)
	}
	return t, nil
}

// ParseLineHS reads the HS code of a tariff line: 8 or 10 digits.
func ParseLineHS(s string) (string, error) {
	t, err := CleanHS(s)
	if err != nil {
		return "", err
	}
	if len(t) != 8 && len(t) != 10 {
		return "", errs.E(errs.Invalid, "税号“%s”格式不正确：税则税号应为 8 位或 10 位数字", s)
	}
	return t, nil
}

// ParseMaterialHS reads the HS code of a material: at least the 6-digit
// subheading, which every tariff shift test can be decided on.
func ParseMaterialHS(s string) (string, error) {
	t, err := CleanHS(s)
	if err != nil {
		return "", err
	}
	if len(t) < 6 {
		return "", errs.E(errs.Invalid, "材料税号“%s”应至少为 6 位（HS 子目），才能判断税则归类是否改变", s)
	}
	return t, nil
}

// ParseRulePrefix reads the HS range a product-specific rule covers: a
// chapter (2 digits), heading (4), subheading (6) or tariff line (8).
func ParseRulePrefix(s string) (string, error) {
	t, err := CleanHS(s)
	if err != nil {
		return "", err
	}
	switch len(t) {
	case 2, 4, 6, 8:
		return t, nil
	}
	return "", errs.E(errs.Invalid, "规则适用范围“%s”格式不正确：应为章（2位）、品目（4位）、子目（6位）或税号（8位）", s)
}

// Chapter is the chapter number of an HS code (0 when it has no chapter).
func Chapter(hs string) int {
	if len(hs) < 2 || hs[0] < '0' || hs[0] > '9' || hs[1] < '0' || hs[1] > '9' {
		return 0
	}
	return int(hs[0]-'0')*10 + int(hs[1]-'0')
}

// FormatHS renders digits with the customary dots: "0805.21.00".
func FormatHS(hs string) string {
	switch {
	case len(hs) <= 4:
		return hs
	case len(hs) <= 6:
		return hs[:4] + "." + hs[4:]
	default:
		return hs[:4] + "." + hs[4:6] + "." + hs[6:]
	}
}

// ChapterName is the short Chinese title of an HS chapter (第08章 食用水果及坚果…).
func ChapterName(ch int) string {
	if ch >= 1 && ch < len(chapterNames) {
		return chapterNames[ch]
	}
	return ""
}

// chapterNames are short titles of the HS chapters (《进出口税则》类章标题的简称).
var chapterNames = [...]string{
	"",
	"活动物", "肉及食用杂碎", "鱼、甲壳动物、软体动物", "乳品、蛋品、天然蜂蜜", "其他动物产品",
	"活树及其他活植物", "食用蔬菜", "食用水果及坚果", "咖啡、茶及调味香料", "谷物",
	"制粉工业产品", "油籽、工业用或药用植物", "虫胶、树胶、树脂", "编结用植物材料", "动植物油脂",
	"肉、鱼等的制品", "糖及糖食", "可可及可可制品", "谷物粉、淀粉或乳的制品；糕饼点心", "蔬菜、水果等的制品",
	"杂项食品", "饮料、酒及醋", "食品工业残渣；配制的动物饲料", "烟草及其代用品", "盐、硫磺、土及石料、水泥",
	"矿砂、矿渣及矿灰", "矿物燃料、矿物油", "无机化学品", "有机化学品", "药品",
	"肥料", "鞣料、染料、涂料、油墨", "精油及香膏；芳香料制品及化妆盥洗品", "肥皂、洗涤剂、润滑剂、蜡", "蛋白类物质；改性淀粉；胶；酶",
	"炸药；烟火制品；引火品", "照相及电影用品", "杂项化学产品", "塑料及其制品", "橡胶及其制品",
	"生皮及皮革", "皮革制品；箱包", "毛皮、人造毛皮及其制品", "木及木制品；木炭", "软木及软木制品",
	"稻草、秸秆等编结材料制品", "木浆及其他纤维状纤维素浆", "纸及纸板；纸浆、纸或纸板制品", "书籍、报纸、印刷品", "蚕丝",
	"羊毛、动物毛；马毛纱线及其机织物", "棉花", "其他植物纺织纤维；纸纱线及其机织物", "化学纤维长丝", "化学纤维短纤",
	"絮胎、毡呢及无纺织物；绳索", "地毯及纺织材料的其他铺地制品", "特种机织物；簇绒织物；花边；刺绣品", "浸渍、涂布、包覆或层压的纺织物", "针织物及钩编织物",
	"针织或钩编的服装及衣着附件", "非针织或非钩编的服装及衣着附件", "其他纺织制成品；旧衣着", "鞋靴、护腿和类似品", "帽类及其零件",
	"雨伞、阳伞、手杖、鞭子", "已加工羽毛、人造花、人发制品", "石料、石膏、水泥、石棉、云母等的制品", "陶瓷产品", "玻璃及其制品",
	"珠宝、贵金属及其制品；硬币", "钢铁", "钢铁制品", "铜及其制品", "镍及其制品",
	"铝及其制品", "（保留）", "铅及其制品", "锌及其制品", "锡及其制品",
	"其他贱金属、金属陶瓷及其制品", "贱金属工具、器具、利口器、餐匙、餐叉", "贱金属杂项制品", "核反应堆、锅炉、机器、机械器具", "电机、电气设备及其零件；音像设备",
	"铁道及电车道机车、车辆", "车辆及其零件（铁道车辆除外）", "航空器、航天器及其零件", "船舶及浮动结构体", "光学、照相、医疗等仪器及设备",
	"钟表及其零件", "乐器及其零件、附件", "武器、弹药及其零件", "家具；寝具；灯具；活动房屋", "玩具、游戏品、运动用品",
	"杂项制品", "艺术品、收藏品及古物",
}
