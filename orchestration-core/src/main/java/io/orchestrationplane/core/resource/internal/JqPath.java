package io.orchestrationplane.core.resource.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The subset of jq path expressions that Argo CD's {@code jqPathExpressions} are written in:
 * {@code .a.b}, {@code ."a.b"}, {@code .["a"]}, {@code []}, {@code [n]}, pipes, and
 * {@code select(cond)} where a condition compares paths with literals ({@code ==}, {@code !=}),
 * tests strings ({@code startswith}, {@code endswith}, {@code contains}) and combines with
 * {@code and}, {@code or}, {@code not}. Evaluating selects concrete paths (field names and list
 * indexes) of a tree. Immutable and thread-safe once compiled.
 */
public final class JqPath {
  private final String source;
  private final List<Step> steps;

  private JqPath(String source, List<Step> steps) {
    this.source = source;
    this.steps = steps;
  }

  /** Compiles an expression; throws {@link IllegalArgumentException} naming the column of the problem. */
  public static JqPath compile(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("empty jq path expression");
    }
    Parser p = new Parser(expression);
    List<Step> steps = p.pipeline();
    p.skipSpace();
    if (!p.atEnd()) {
      throw p.error("unexpected '" + expression.charAt(p.pos) + "'");
    }
    return new JqPath(expression, List.copyOf(steps));
  }

  /** The concrete paths the expression selects in {@code root}: each a list of field names and indexes. */
  public List<List<Object>> select(JsonNode root) {
    List<Selected> current = List.of(new Selected(root, List.of()));
    for (Step step : steps) {
      List<Selected> next = new ArrayList<>();
      for (Selected s : current) {
        step.apply(s, next);
      }
      current = next;
    }
    List<List<Object>> out = new ArrayList<>(current.size());
    for (Selected s : current) {
      out.add(s.path());
    }
    return out;
  }

  @Override
  public String toString() {
    return source;
  }

  private record Selected(JsonNode node, List<Object> path) {
    Selected child(Object segment, JsonNode value) {
      List<Object> p = new ArrayList<>(path.size() + 1);
      p.addAll(path);
      p.add(segment);
      return new Selected(value, p);
    }
  }

  private interface Step {
    void apply(Selected in, List<Selected> out);
  }

  private record Field(String name) implements Step {
    @Override
    public void apply(Selected in, List<Selected> out) {
      JsonNode v = in.node().get(name);
      if (in.node().isObject() && v != null) {
        out.add(in.child(name, v));
      }
    }
  }

  private record Index(int index) implements Step {
    @Override
    public void apply(Selected in, List<Selected> out) {
      if (in.node().isArray()) {
        int i = index < 0 ? in.node().size() + index : index;
        if (i >= 0 && i < in.node().size()) {
          out.add(in.child(i, in.node().get(i)));
        }
      }
    }
  }

  private record Each() implements Step {
    @Override
    public void apply(Selected in, List<Selected> out) {
      JsonNode n = in.node();
      if (n.isArray()) {
        for (int i = 0; i < n.size(); i++) {
          out.add(in.child(i, n.get(i)));
        }
      } else if (n.isObject()) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          out.add(in.child(e.getKey(), e.getValue()));
        }
      }
    }
  }

  private record Select(Cond cond) implements Step {
    @Override
    public void apply(Selected in, List<Selected> out) {
      if (cond.test(in.node())) {
        out.add(in);
      }
    }
  }

  private interface Cond {
    boolean test(JsonNode node);
  }

  private interface Operand {
    @Nullable JsonNode value(JsonNode node);
  }

  /** A relative path inside a condition: the first value it selects, or null. */
  private record PathOperand(List<Step> steps) implements Operand {
    @Override
    public @Nullable JsonNode value(JsonNode node) {
      List<Selected> current = List.of(new Selected(node, List.of()));
      for (Step s : steps) {
        List<Selected> next = new ArrayList<>();
        for (Selected sel : current) {
          s.apply(sel, next);
        }
        current = next;
      }
      return current.isEmpty() ? null : current.get(0).node();
    }
  }

  private record Literal(JsonNode literal) implements Operand {
    @Override
    public JsonNode value(JsonNode node) {
      return literal;
    }
  }

  private static boolean same(@Nullable JsonNode a, @Nullable JsonNode b) {
    boolean aNull = a == null || a.isNull() || a.isMissingNode();
    boolean bNull = b == null || b.isNull() || b.isMissingNode();
    if (aNull || bNull) {
      return aNull && bNull;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    IllegalArgumentException error(String message) {
      return new IllegalArgumentException("jq path '" + text + "', column " + (pos + 1) + ": " + message);
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    boolean eat(String token) {
      skipSpace();
      if (text.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    /** steps ('|' steps)* */
    List<Step> pipeline() {
      List<Step> steps = new ArrayList<>(segment());
      while (eat("|")) {
        steps.addAll(segment());
      }
      return steps;
    }

    /** A path ({@code .a[].b}) or {@code select(cond)}. */
    List<Step> segment() {
      skipSpace();
      if (text.startsWith("select", pos)) {
        pos += "select".length();
        if (!eat("(")) {
          throw error("expected '(' after select");
        }
        Cond c = or();
        if (!eat(")")) {
          throw error("expected ')'");
        }
        return List.of(new Select(c));
      }
      return path(true);
    }

    List<Step> path(boolean required) {
      skipSpace();
      List<Step> steps = new ArrayList<>();
      if (atEnd() || text.charAt(pos) != '.') {
        if (required) {
          throw error("expected a path starting with '.'");
        }
        return steps;
      }
      while (!atEnd()) {
        char c = text.charAt(pos);
        if (c == '.') {
          pos++;
          if (atEnd()) {
            break; // "." alone: the input itself
          }
          char n = text.charAt(pos);
          if (n == '"') {
            steps.add(new Field(string()));
          } else if (n == '[') {
            continue;
          } else if (Character.isLetter(n) || n == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
              pos++;
            }
            steps.add(new Field(text.substring(start, pos)));
          } else if (!Character.isWhitespace(n) && n != '|' && n != ')') {
            throw error("unexpected '" + n + "' after '.'");
          }
        } else if (c == '[') {
          pos++;
          skipSpace();
          if (eat("]")) {
            steps.add(new Each());
          } else if (text.charAt(pos) == '"') {
            steps.add(new Field(string()));
            if (!eat("]")) {
              throw error("expected ']'");
            }
          } else {
            int start = pos;
            if (pos < text.length() && text.charAt(pos) == '-') {
              pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
              pos++;
            }
            if (start == pos) {
              throw error("expected an index, a quoted field or ']'");
            }
            steps.add(new Index(Integer.parseInt(text.substring(start, pos))));
            if (!eat("]")) {
              throw error("expected ']'");
            }
          }
        } else {
          break;
        }
      }
      return steps;
    }

    String string() {
      if (text.charAt(pos) != '"') {
        throw error("expected '\"'");
      }
      StringBuilder sb = new StringBuilder();
      pos++;
      while (pos < text.length() && text.charAt(pos) != '"') {
        char c = text.charAt(pos++);
        if (c == '\\' && pos < text.length()) {
          c = text.charAt(pos++);
        }
        sb.append(c);
      }
      if (atEnd()) {
        throw error("unterminated string");
      }
      pos++;
      return sb.toString();
    }

    Cond or() {
      Cond left = and();
      while (eatWord("or")) {
        Cond l = left;
        Cond r = and();
        left = n -> l.test(n) || r.test(n);
      }
      return left;
    }

    Cond and() {
      Cond left = unary();
      while (eatWord("and")) {
        Cond l = left;
        Cond r = unary();
        left = n -> l.test(n) && r.test(n);
      }
      return left;
    }

    boolean eatWord(String word) {
      skipSpace();
      int end = pos + word.length();
      if (text.startsWith(word, pos) && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
        pos = end;
        return true;
      }
      return false;
    }

    Cond unary() {
      skipSpace();
      if (eat("(")) {
        Cond c = or();
        if (!eat(")")) {
          throw error("expected ')'");
        }
        return postfixNot(c);
      }
      Operand left = operand();
      skipSpace();
      Cond c;
      if (eat("==")) {
        Operand right = operand();
        c = n -> same(left.value(n), right.value(n));
      } else if (eat("!=")) {
        Operand right = operand();
        c = n -> !same(left.value(n), right.value(n));
      } else if (eat("|")) {
        skipSpace();
        c = stringTest(left);
      } else {
        c = n -> {
          JsonNode v = left.value(n);
          return v != null && !v.isNull() && !(v.isBoolean() && !v.booleanValue());
        };
      }
      return postfixNot(c);
    }

    Cond postfixNot(Cond c) {
      skipSpace();
      int save = pos;
      if (eat("|") && eatWord("not")) {
        return n -> !c.test(n);
      }
      pos = save;
      return c;
    }

    Cond stringTest(Operand subject) {
      for (String fn : List.of("startswith", "endswith", "contains")) {
        if (eatWord(fn)) {
          if (!eat("(")) {
            throw error("expected '(' after " + fn);
          }
          skipSpace();
          String arg = string();
          if (!eat(")")) {
            throw error("expected ')'");
          }
          return n -> {
            JsonNode v = subject.value(n);
            if (v == null || !v.isString()) {
              return false;
            }
            String s = v.stringValue();
            return switch (fn) {
              case "startswith" -> s.startsWith(arg);
              case "endswith" -> s.endsWith(arg);
              default -> s.contains(arg);
            };
          };
        }
      }
      throw error("expected startswith, endswith or contains");
    }

    Operand operand() {
      skipSpace();
      if (atEnd()) {
        throw error("expected a path or a literal");
      }
      char c = text.charAt(pos);
      if (c == '.') {
        return new PathOperand(path(true));
      }
      if (c == '"') {
        return new Literal(tools.jackson.databind.node.StringNode.valueOf(string()));
      }
      for (String word : List.of("true", "false", "null")) {
        if (eatWord(word)) {
          JsonNode v = word.equals("null") ? tools.jackson.databind.node.NullNode.getInstance()
              : tools.jackson.databind.node.BooleanNode.valueOf(word.equals("true"));
          return new Literal(v);
        }
      }
      int start = pos;
      while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a path or a literal");
      }
      try {
        return new Literal(tools.jackson.databind.node.DecimalNode.valueOf(new java.math.BigDecimal(text.substring(start, pos))));
      } catch (NumberFormatException e) {
        pos = start;
        throw error("not a number");
      }
    }
  }
}
