#include "demo_city_names.hpp"

#include <array>
#include <string_view>

namespace gp::geo::demo {
namespace {

// Two-character place words, the stems of most names. Invented combinations of common
// Beijing name elements; no real district is named.
constexpr std::array<std::string_view, 80> place_words = {
    "和平", "安华", "建国", "东风", "光华", "朝阳", "团结", "幸福", "青年", "胜利", "新华", "振兴",
    "育新", "红星", "向阳", "文化", "永安", "长青", "民主", "龙潭", "双桥", "金台", "花园", "广安",
    "德胜", "北苑", "南湖", "西坝", "东湖", "春明", "樱花", "望京", "清河", "太平", "安定", "惠新",
    "小关", "六铺", "左家", "三里", "团河", "白纸", "椿树", "牛街", "月坛", "展览", "甘家", "紫竹",
    "万寿", "永定", "卢沟", "石榴", "杏花", "翠微", "玉泉", "香山", "燕园", "学院", "知春", "双井",
    "劲松", "潘家", "十里", "八里", "金盏", "常营", "管庄", "高碑", "酒仙", "将台", "东坝", "来广",
    "奥运", "亚运", "安贞", "和义", "丽泽", "芳城", "康乐", "春秀"};

constexpr std::array<std::string_view, 16> community_suffixes = {
    "里", "北里", "南里", "东里", "西里", "路",   "街",   "园",
    "苑", "村",   "新村", "家园", "东路", "西路", "北街", "南街"};

constexpr std::array<std::string_view, 5> street_prefixes = {"", "东", "西", "南", "北"};

constexpr std::array<std::string_view, 12> brands = {
    "华润", "万科", "保利", "金地", "首开", "中海", "远洋", "龙湖", "招商", "富力", "融创", "绿城"};

constexpr std::array<std::string_view, 20> estates = {
    "橡树湾", "城市花园", "翡翠城", "国际公馆", "天悦府", "金域华府", "一品",
    "壹号院", "锦绣园",   "御璟湾", "西山林语", "和府",   "观澜",     "星河湾",
    "春风里", "云著",     "时代城", "紫宸院",   "珑玥",   "悦府"};

constexpr std::array<std::string_view, 8> lowrise_suffixes = {"小区", "家园", "宿舍", "新村",
                                                              "北区", "南区", "东区", "西区"};
constexpr std::array<std::string_view, 4> mixed_suffixes = {"广场", "公寓", "商住楼", "国际"};
constexpr std::array<std::string_view, 6> commercial_suffixes = {"商场",     "大厦", "写字楼",
                                                                 "购物中心", "超市", "市场"};
constexpr std::array<std::string_view, 6> industrial_suffixes = {"机械厂",   "印刷厂", "食品厂",
                                                                 "仓储中心", "电子厂", "纺织厂"};
constexpr std::array<std::string_view, 6> public_suffixes = {
    "社区卫生服务中心", "派出所", "养老院", "文化活动中心", "邮政所", "街道办事处"};
constexpr std::array<std::string_view, 2> school_suffixes = {"小学", "中学"};
constexpr std::array<std::string_view, 3> hutong_suffixes = {"胡同", "条", "巷"};
constexpr std::array<std::string_view, 8> rivers = {"亮马河",   "坝河",   "小月河", "凉水河",
                                                    "萧太后河", "通惠河", "北小河", "土城沟"};
constexpr std::array<std::string_view, 6> rails = {"京承铁路", "京包铁路", "京哈铁路",
                                                   "京广铁路", "东北环线", "京原铁路"};

constexpr std::array<std::string_view, 10> digits = {"",   "一", "二", "三", "四",
                                                     "五", "六", "七", "八", "九"};

template <std::size_t N>
std::string pick(const std::array<std::string_view, N>& words, std::uint64_t r) {
  return std::string(words[static_cast<std::size_t>(r % N)]);
}

std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = i;
  Rng rng(seed);
  for (std::size_t i = n; i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng.bits() % i);
    std::swap(p[i - 1], p[j]);
  }
  return p;
}

} // namespace

std::string chinese_number(std::size_t n) {
  if (n == 0) return "零";
  if (n >= 100) return std::to_string(n);
  std::string s;
  const std::size_t tens = n / 10, ones = n % 10;
  if (tens > 1) s += digits[tens];
  if (tens >= 1) s += "十";
  s += digits[ones];
  return s;
}

NameBook::NameBook(std::uint64_t seed)
    : place_order_(permutation(place_words.size(), hash_of(seed, 0x4e414d45))),
      suffix_order_(permutation(community_suffixes.size(), hash_of(seed, 0x53554646))),
      seed_(seed) {}

std::string NameBook::street(std::size_t k) const {
  const std::size_t w = place_words.size();
  std::string name(street_prefixes[(k / w) % street_prefixes.size()]);
  name += place_words[place_order_[k % w]];
  if (k >= w * street_prefixes.size()) name += chinese_number(k / (w * street_prefixes.size()) + 1);
  return name + "街道";
}

std::string NameBook::community_stem(std::size_t k) const {
  // Walk the place words with a stride so neighbouring communities rarely share a word
  // with the streets (which use the words in order).
  const std::size_t w = place_words.size(), s = community_suffixes.size();
  const std::size_t word = place_order_[(k * 7 + 3) % w];
  const std::size_t suffix = suffix_order_[(k / w + k) % s];
  // (k mod w, k / w mod s) pairs are distinct for k < w*s; the stride and shift keep them so.
  std::string name(place_words[word]);
  name += community_suffixes[suffix];
  if (k >= w * s) name += chinese_number(k / (w * s) + 1) + "区";
  return name;
}

std::string NameBook::road_north_south(std::size_t k, bool arterial) const {
  const std::size_t w = place_words.size();
  std::string name(place_words[place_order_[(k * 11 + 5) % w]]);
  if (k >= w) name += chinese_number(k / w + 1);
  return name + (arterial ? "路" : "北路");
}

std::string NameBook::road_east_west(std::size_t k, bool arterial) const {
  const std::size_t w = place_words.size();
  std::string name(place_words[place_order_[(k * 13 + 9) % w]]);
  if (k >= w) name += chinese_number(k / w + 1);
  return name + (arterial ? "大街" : "街");
}

std::string NameBook::river() const {
  return pick(rivers, hash_of(seed_, 0x52495645));
}
std::string NameBook::rail() const {
  return pick(rails, hash_of(seed_, 0x5241494c));
}

std::string NameBook::place(std::uint64_t r) const {
  return pick(place_words, r);
}

std::string NameBook::highrise_compound(std::uint64_t r) const {
  // U+00B7 MIDDLE DOT, as developers write it: 华润·橡树湾
  return pick(brands, r) + "\u00b7" + pick(estates, r / brands.size());
}
std::string NameBook::lowrise_compound(std::uint64_t r) const {
  return place(r) + pick(lowrise_suffixes, r / place_words.size());
}
std::string NameBook::mixed_compound(std::uint64_t r) const {
  return place(r) + pick(mixed_suffixes, r / place_words.size());
}
std::string NameBook::commercial(std::uint64_t r) const {
  return place(r) + pick(commercial_suffixes, r / place_words.size());
}
std::string NameBook::industrial(std::uint64_t r) const {
  return place(r) + pick(industrial_suffixes, r / place_words.size());
}
std::string NameBook::public_service(std::uint64_t r) const {
  return place(r) + pick(public_suffixes, r / place_words.size());
}
std::string NameBook::school(std::uint64_t r) const {
  return place(r) + pick(school_suffixes, r / place_words.size());
}
std::string NameBook::hutong(std::uint64_t r) const {
  return place(r) + pick(hutong_suffixes, r / place_words.size());
}

} // namespace gp::geo::demo
