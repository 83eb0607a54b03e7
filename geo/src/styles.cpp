// Default QGIS (QML) and SLD styles for the layers gridplan writes. Every style is a list
// of rules (filter, fill, outline) plus optional labels, written as a QGIS rule-based
// renderer and as SLD 1.1 rules, so both clients show the same classes.

#include "gp/geo/styles.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <set>

namespace gp::geo {
namespace {

struct Rgb {
  int r = 0, g = 0, b = 0;
};

Rgb parse_hex(const std::string& hex) {
  auto byte = [&](std::size_t i) { return std::stoi(hex.substr(i, 2), nullptr, 16); };
  return {byte(1), byte(3), byte(5)};
}

std::string to_hex(Rgb c) {
  return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
}

// --- the viewer's classification (viewer/src/theme.cpp), without Qt --------------------

Rgb mix(Rgb a, Rgb b, double t) {
  auto lerp = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
  return {lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b)};
}

std::vector<std::string> sample(const std::vector<std::string>& stops_hex, int n) {
  std::vector<Rgb> stops;
  for (const auto& h : stops_hex) stops.push_back(parse_hex(h));
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    const double t = n == 1 ? 0.5 : static_cast<double>(i) / (n - 1);
    const double pos = t * static_cast<double>(stops.size() - 1);
    const auto k = std::min(static_cast<std::size_t>(pos), stops.size() - 2);
    out.push_back(to_hex(mix(stops[k], stops[k + 1], pos - static_cast<double>(k))));
  }
  return out;
}

std::vector<std::string> viridis(int n) {
  return sample({"#fde725", "#90d743", "#35b779", "#21918c", "#31688e", "#443983", "#440154"}, n);
}

std::vector<std::string> puor(int n) {
  return sample({"#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"}, n);
}

std::string nice(double v) {
  if (v == 0) return "0";
  const double mag = std::pow(10.0, std::floor(std::log10(std::abs(v))) - 2);
  const double r = std::round(v / mag) * mag;
  if (std::abs(r) >= 100) return fmt::format("{:.0f}", r);
  return fmt::format("{:.3g}", r);
}

double round_sig(double v) {
  if (v == 0) return 0;
  const double mag = std::pow(10.0, std::floor(std::log10(std::abs(v))) - 1);
  return std::round(v / mag) * mag;
}

// --- rules --------------------------------------------------------------------------------

/// A comparison of one field with a value: "field op value" (op: <, >=, =).
struct Condition {
  std::string field, op;
  std::string value;   ///< as written in QGIS expressions (quoted for text)
  std::string literal; ///< the value for SLD
};

struct Rule {
  std::string label;
  std::vector<Condition> all; ///< empty: every feature
  bool otherwise = false;     ///< QGIS ELSE rule (SLD: ElseFilter)
  std::optional<std::string> fill;
  std::string stroke = "#ffffff";
  double stroke_mm = 0.26;
  bool dashed = false;
};

struct Style {
  std::vector<Rule> rules;
  std::string label_field; ///< "" = no labels
};

std::string xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string qgis_rgba(const std::string& hex) {
  const Rgb c = parse_hex(hex);
  return fmt::format("{},{},{},255", c.r, c.g, c.b);
}

std::string number_text(double v) {
  return fmt::format("{}", v);
}

std::string qml_of(const Style& s) {
  std::string rules, symbols;
  for (std::size_t i = 0; i < s.rules.size(); ++i) {
    const Rule& r = s.rules[i];
    std::string filter;
    if (r.otherwise) filter = "ELSE";
    for (const auto& c : r.all)
      filter +=
          (filter.empty() ? "" : " AND ") + fmt::format("\"{}\" {} {}", c.field, c.op, c.value);
    rules +=
        fmt::format("      <rule key=\"{{gridplan-rule-{}}}\" symbol=\"{}\" label=\"{}\"{}/>\n", i,
                    i, xml(r.label), filter.empty() ? "" : " filter=\"" + xml(filter) + "\"");
    symbols +=
        fmt::format("      <symbol type=\"fill\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" "
                    "force_rhr=\"0\">\n"
                    "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
                    "          <prop k=\"color\" v=\"{}\"/>\n"
                    "          <prop k=\"style\" v=\"{}\"/>\n"
                    "          <prop k=\"outline_color\" v=\"{}\"/>\n"
                    "          <prop k=\"outline_style\" v=\"{}\"/>\n"
                    "          <prop k=\"outline_width\" v=\"{}\"/>\n"
                    "          <prop k=\"outline_width_unit\" v=\"MM\"/>\n"
                    "          <prop k=\"joinstyle\" v=\"bevel\"/>\n"
                    "        </layer>\n"
                    "      </symbol>\n",
                    i, qgis_rgba(r.fill.value_or("#ffffff")), r.fill ? "solid" : "no",
                    qgis_rgba(r.stroke), r.dashed ? "dash" : "solid", number_text(r.stroke_mm));
  }
  std::string labeling;
  if (!s.label_field.empty())
    labeling = fmt::format(
        "  <labeling type=\"simple\">\n"
        "    <settings calloutType=\"simple\">\n"
        "      <text-style fieldName=\"{}\" isExpression=\"0\" fontFamily=\"Noto Sans CJK SC\" "
        "fontSize=\"10\" fontSizeUnit=\"Point\" textColor=\"40,40,40,255\" textOpacity=\"1\" "
        "fontWeight=\"75\"/>\n"
        "      <text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" "
        "bufferColor=\"255,255,255,255\" bufferOpacity=\"1\"/>\n"
        "      <placement placement=\"1\" centroidInside=\"1\" centroidWhole=\"0\" "
        "priority=\"5\"/>\n"
        "      <rendering drawLabels=\"1\" obstacle=\"1\" scaleVisibility=\"0\" "
        "fontLimitPixelSize=\"0\"/>\n"
        "    </settings>\n"
        "  </labeling>\n",
        xml(s.label_field));
  return fmt::format("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                     "<qgis version=\"3.22.16\" styleCategories=\"Symbology|Labeling\" "
                     "labelsEnabled=\"{}\">\n"
                     "  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" "
                     "enableorderby=\"0\" forceraster=\"0\">\n"
                     "    <rules key=\"{{gridplan-root}}\">\n{}    </rules>\n"
                     "    <symbols>\n{}    </symbols>\n"
                     "  </renderer-v2>\n{}</qgis>\n",
                     s.label_field.empty() ? 0 : 1, rules, symbols, labeling);
}

std::string sld_of(const Style& s, const std::string& layer, const std::string& name) {
  static const std::array<std::pair<const char*, const char*>, 3> ops = {
      {{"<", "PropertyIsLessThan"},
       {">=", "PropertyIsGreaterThanOrEqualTo"},
       {"=", "PropertyIsEqualTo"}}};
  std::string rules;
  for (const Rule& r : s.rules) {
    std::string filter;
    for (const auto& c : r.all) {
      const char* op = "PropertyIsEqualTo";
      for (const auto& [q, o] : ops)
        if (c.op == q) op = o;
      filter += fmt::format("<ogc:{0}><ogc:PropertyName>{1}</ogc:PropertyName>"
                            "<ogc:Literal>{2}</ogc:Literal></ogc:{0}>",
                            op, xml(c.field), xml(c.literal));
    }
    if (r.all.size() > 1) filter = "<ogc:And>" + filter + "</ogc:And>";
    if (!filter.empty()) filter = "\n          <ogc:Filter>" + filter + "</ogc:Filter>";
    if (r.otherwise) filter = "\n          <se:ElseFilter/>";
    std::string fill;
    if (r.fill)
      fill = fmt::format("<se:Fill><se:SvgParameter name=\"fill\">{}</se:SvgParameter></se:Fill>",
                         *r.fill);
    rules += fmt::format(
        "        <se:Rule>\n          <se:Name>{0}</se:Name>\n"
        "          <se:Description><se:Title>{0}</se:Title></se:Description>{1}\n"
        "          <se:PolygonSymbolizer>{2}<se:Stroke>"
        "<se:SvgParameter name=\"stroke\">{3}</se:SvgParameter>"
        "<se:SvgParameter name=\"stroke-width\">{4}</se:SvgParameter>{5}"
        "</se:Stroke></se:PolygonSymbolizer>\n        </se:Rule>\n",
        xml(r.label), filter, fill, r.stroke,
        number_text(std::round(r.stroke_mm * 3.78 * 100) / 100),
        r.dashed ? "<se:SvgParameter name=\"stroke-dasharray\">4 2</se:SvgParameter>" : "");
  }
  if (!s.label_field.empty())
    rules += fmt::format(
        "        <se:Rule>\n          <se:TextSymbolizer><se:Label><ogc:PropertyName>{}"
        "</ogc:PropertyName></se:Label><se:Font><se:SvgParameter name=\"font-family\">Noto Sans "
        "CJK SC</se:SvgParameter><se:SvgParameter name=\"font-size\">13</se:SvgParameter>"
        "</se:Font><se:Halo><se:Radius>2</se:Radius><se:Fill><se:SvgParameter name=\"fill\">"
        "#ffffff</se:SvgParameter></se:Fill></se:Halo><se:Fill><se:SvgParameter name=\"fill\">"
        "#282828</se:SvgParameter></se:Fill></se:TextSymbolizer>\n        </se:Rule>\n",
        xml(s.label_field));
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<StyledLayerDescriptor version=\"1.1.0\" xmlns=\"http://www.opengis.net/sld\" "
      "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:se=\"http://www.opengis.net/se\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://www.opengis.net/sld "
      "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
      "  <NamedLayer>\n    <se:Name>{}</se:Name>\n    <UserStyle>\n      <se:Name>{}</se:Name>\n"
      "      <se:FeatureTypeStyle>\n{}      </se:FeatureTypeStyle>\n    </UserStyle>\n"
      "  </NamedLayer>\n</StyledLayerDescriptor>\n",
      xml(layer), xml(name), rules);
}

std::vector<double> numbers(const Layer& l, int field) {
  std::vector<double> out;
  for_each_row(l, [&](std::size_t, const std::vector<Value>& row) {
    const Value& v = row[static_cast<std::size_t>(field)];
    if (const auto* d = std::get_if<double>(&v)) out.push_back(*d);
    if (const auto* i = std::get_if<std::int64_t>(&v)) out.push_back(static_cast<double>(*i));
  });
  return out;
}

/// Rules for the classes of a numeric field (graduated fill, white outlines).
std::vector<Rule> class_rules(const std::string& field, const std::vector<StyleClass>& classes) {
  std::vector<Rule> rules;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    Rule r;
    r.label = classes[i].label;
    r.fill = classes[i].colour;
    // As Thematic::class_of: class i holds values below its upper bound not taken by the
    // class before; the last class takes everything above.
    if (i + 1 < classes.size())
      r.all.push_back({field, "<", number_text(classes[i].upper), number_text(classes[i].upper)});
    if (i > 0)
      r.all.push_back(
          {field, ">=", number_text(classes[i - 1].upper), number_text(classes[i - 1].upper)});
    rules.push_back(std::move(r));
  }
  return rules;
}

Rule no_data_rule() {
  Rule r;
  r.label = "no data";
  r.otherwise = true;
  r.fill = "#d9d9d9";
  return r;
}

} // namespace

std::vector<StyleClass> thematic_classes(std::vector<double> values, const std::string& field,
                                         int classes) {
  std::vector<StyleClass> out;
  std::sort(values.begin(), values.end());
  if (values.empty()) return out;
  const double lo = values.front(), hi = values.back();
  const bool binary =
      std::all_of(values.begin(), values.end(), [](double v) { return v == 0 || v == 1; });
  if (binary) return {{0, 0.5, "#e69f00", "0"}, {0.5, 1, "#56b4e9", "1"}};
  classes = std::clamp(classes, 2, 9);
  const bool diverging =
      lo < 0 && hi > 0 &&
      (field.find("deviation") != std::string::npos || field.find("_pct") != std::string::npos ||
       field.find("diff") != std::string::npos);
  std::vector<double> breaks;
  if (diverging) {
    if (classes % 2 == 0) ++classes;
    const double m = round_sig(std::max(-lo, hi));
    const int half = classes / 2;
    const double step = 2 * m / classes;
    for (int i = -half; i < half; ++i) breaks.push_back(round_sig((i + 0.5) * step));
  } else {
    for (int i = 1; i < classes; ++i) {
      const auto k = static_cast<std::size_t>(
          std::lround(static_cast<double>(values.size() - 1) * i / classes));
      const double b = round_sig(values[k]);
      if ((breaks.empty() && b > lo) || (!breaks.empty() && b > breaks.back())) breaks.push_back(b);
    }
  }
  const int n = static_cast<int>(breaks.size() + 1);
  const auto colours = diverging ? puor(n) : viridis(n);
  double prev = lo;
  for (std::size_t i = 0; i <= breaks.size(); ++i) {
    const double upper = i < breaks.size() ? breaks[i] : hi;
    StyleClass c{prev, upper, colours[i], {}};
    if (i == 0)
      c.label = "< " + nice(upper);
    else if (i == breaks.size())
      c.label = "≥ " + nice(prev);
    else
      c.label = nice(prev) + " – " + nice(upper);
    if (breaks.empty()) c.label = nice(lo) + " – " + nice(hi);
    out.push_back(c);
    prev = upper;
  }
  return out;
}

/// Categories beyond which a layer is outlined instead (see default_style).
constexpr std::size_t max_style_categories = 1000;

std::string category_colour(const std::string& key) {
  static const char* const set3[] = {"#8dd3c7", "#ffffb3", "#bebada", "#fb8072",
                                     "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
                                     "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f"};
  std::uint64_t h = 1469598103934665603ULL; // FNV-1a, as viewer::categorical_colour
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
  return set3[h % 12];
}

LayerStyle default_style(const Layer& layer) {
  LayerStyle out;
  out.layer = layer.name;
  if (layer.kind != GeometryKind::polygon) return out;
  const Table& t = layer.table;
  const StyleHint& hint = layer.style;
  Style s;
  switch (hint.kind) {
  case StyleHint::Kind::none:
    return out;
  case StyleHint::Kind::classes: {
    const int f = t.find(hint.field);
    if (f < 0) return out;
    s.rules = class_rules(hint.field, thematic_classes(numbers(layer, f), hint.field));
    s.rules.push_back(no_data_rule());
    if (!hint.flag_field.empty() && t.find(hint.flag_field) >= 0) {
      Rule v;
      v.label = hint.flag_label;
      v.all.push_back({hint.flag_field, "=", "0", "0"});
      v.stroke = "#d55e00"; // Okabe-Ito vermillion: colour-blind safe against viridis
      v.stroke_mm = 0.8;
      s.rules.push_back(v);
    }
    break;
  }
  case StyleHint::Kind::categories: {
    const int f = t.find(hint.field);
    if (f < 0) return out;
    std::set<std::string> codes;
    for_each_row(layer, [&](std::size_t, const std::vector<Value>& row) {
      if (const auto* c = std::get_if<std::string>(&row[static_cast<std::size_t>(f)]))
        codes.insert(*c);
    });
    if (codes.size() > max_style_categories) {
      // One rule per code would make a style of megabytes that QGIS parses on every open;
      // past a city district's worth of cells the features are outlined and the colours
      // are left to the layer the codes belong to.
      Rule r;
      r.label = fmt::format("{} ({} categories: see their own layer)", hint.name, codes.size());
      r.stroke = "#808080";
      r.stroke_mm = 0.1;
      s.rules.push_back(std::move(r));
      break;
    }
    for (const auto& c : codes) {
      Rule r;
      r.label = c;
      r.all.push_back({hint.field, "=", "'" + c + "'", c});
      r.fill = category_colour(c);
      r.stroke = "#808080";
      r.stroke_mm = 0.1;
      s.rules.push_back(std::move(r));
    }
    Rule none = no_data_rule();
    none.label = "none";
    s.rules.push_back(none);
    break;
  }
  case StyleHint::Kind::outline: {
    Rule r;
    r.label = hint.name;
    r.stroke = "#303030";
    r.stroke_mm = 0.8;
    s.rules.push_back(r);
    if (!hint.label_field.empty() && t.find(hint.label_field) >= 0)
      s.label_field = hint.label_field;
    break;
  }
  case StyleHint::Kind::dashed: {
    Rule r;
    r.label = hint.name;
    r.stroke = "#606060";
    r.stroke_mm = 0.5;
    r.dashed = true;
    s.rules.push_back(r);
    break;
  }
  }
  out.name = hint.name;
  out.description = hint.description;
  out.qml = qml_of(s);
  out.sld = sld_of(s, layer.name, out.name);
  return out;
}

} // namespace gp::geo
