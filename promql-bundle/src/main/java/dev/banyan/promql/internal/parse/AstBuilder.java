package dev.banyan.promql.internal.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.internal.parse.Ast.Aggregate;
import dev.banyan.promql.internal.parse.Ast.AggregateOp;
import dev.banyan.promql.internal.parse.Ast.Binary;
import dev.banyan.promql.internal.parse.Ast.BinaryOp;
import dev.banyan.promql.internal.parse.Ast.Call;
import dev.banyan.promql.internal.parse.Ast.Cardinality;
import dev.banyan.promql.internal.parse.Ast.Expr;
import dev.banyan.promql.internal.parse.Ast.MatrixSelector;
import dev.banyan.promql.internal.parse.Ast.NumberLiteral;
import dev.banyan.promql.internal.parse.Ast.Paren;
import dev.banyan.promql.internal.parse.Ast.StringLiteral;
import dev.banyan.promql.internal.parse.Ast.Unary;
import dev.banyan.promql.internal.parse.Ast.ValueType;
import dev.banyan.promql.internal.parse.Ast.VectorMatching;
import dev.banyan.promql.internal.parse.Ast.VectorSelector;

/**
 * Turns PromQL text into a type-checked {@link Expr}. Every error is a {@link QueryException} of
 * type BAD_DATA whose message starts with the position ({@code 1:5: ...}), mirroring the checks of
 * Prometheus 2.42's parser; constructs Prometheus accepts but Banyan does not evaluate (subqueries,
 * the {@code @} modifier, some functions) fail here too, naming the construct.
 */
public final class AstBuilder extends PromQLBaseVisitor<Expr> {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern DURATION = Pattern.compile(
            "(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?");
    private static final long[] DURATION_UNITS_MS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};

    private AstBuilder() {
    }

    /**
     * Parses and type-checks {@code input}.
     *
     * @throws QueryException BAD_DATA for any error, including an expression nested deeper than
     *                        {@value #MAX_NESTING} levels (see {@link #checkNesting})
     */
    public static Expr parse(String input) {
        PromQLLexer lexer = new PromQLLexer(CharStreams.fromString(input));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        checkNesting(tokens.getTokens());
        PromQLParser parser = new PromQLParser(tokens);
        BaseErrorListener thrower = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column, String msg,
                    RecognitionException e) {
                String near = offendingSymbol instanceof Token t ? describe(t) : "";
                throw new ParseCancellationException(line + ":" + (column + 1) + ": parse error: " + near + msg);
            }
        };
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
        parser.addErrorListener(thrower);
        try {
            PromQLParser.QueryContext query = parser.query();
            return new AstBuilder().visit(query.expr());
        } catch (ParseCancellationException e) {
            throw new QueryException(QueryException.ErrorType.BAD_DATA, e.getMessage());
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    /** How deep an expression may nest: parentheses, brackets, braces and unary signs count one level each. */
    public static final int MAX_NESTING = 256;

    /** Binary operators in one expression; each nests its left operand one level deeper in the syntax tree. */
    public static final int MAX_OPERATORS = 2 * MAX_NESTING;

    /**
     * Refuses an expression nesting deeper than {@value #MAX_NESTING} levels, or with more than
     * {@value #MAX_OPERATORS} binary operators, before it is parsed, so that no client's expression
     * can exhaust the parser's or the evaluator's stack.
     */
    private static void checkNesting(List<Token> tokens) {
        int depth = 0;
        int signs = 0; // unary signs in a row, each nesting its operand
        int operators = 0;
        Token previous = null;
        for (Token t : tokens) {
            int type = t.getType();
            if (type == PromQLLexer.ADD || type == PromQLLexer.SUB) {
                if (previous == null || opensOperand(previous.getType())) {
                    signs++;
                } else {
                    operators++;
                }
            } else {
                signs = 0;
                switch (type) {
                    case PromQLLexer.LEFT_PAREN, PromQLLexer.LEFT_BRACE, PromQLLexer.LEFT_BRACKET -> depth++;
                    case PromQLLexer.RIGHT_PAREN, PromQLLexer.RIGHT_BRACE, PromQLLexer.RIGHT_BRACKET -> depth--;
                    default -> operators += isBinaryOperator(type) ? 1 : 0;
                }
            }
            if (depth + signs > MAX_NESTING || operators > MAX_OPERATORS) {
                throw new QueryException(QueryException.ErrorType.BAD_DATA, t.getLine() + ":" + (t.getCharPositionInLine() + 1)
                        + ": parse error: " + (operators > MAX_OPERATORS ? "more than " + MAX_OPERATORS + " binary operators"
                                : "more than " + MAX_NESTING + " levels of parentheses, brackets, braces or unary signs")
                        + ": the expression is nested beyond the limit of " + MAX_NESTING + " levels (see docs/PROMQL.md)");
            }
            previous = t;
        }
    }

    /** Whether a {@code +} or {@code -} after a token of this type is a unary sign. */
    private static boolean opensOperand(int type) {
        return type == PromQLLexer.LEFT_PAREN || type == PromQLLexer.LEFT_BRACE || type == PromQLLexer.LEFT_BRACKET
                || type == PromQLLexer.COMMA || type == PromQLLexer.ADD || type == PromQLLexer.SUB || type == PromQLLexer.BOOL
                || isBinaryOperator(type);
    }

    private static boolean isBinaryOperator(int type) {
        return switch (type) {
            case PromQLLexer.MUL, PromQLLexer.DIV, PromQLLexer.MOD, PromQLLexer.ATAN2, PromQLLexer.POW, PromQLLexer.EQLC,
                    PromQLLexer.NEQ, PromQLLexer.GTR, PromQLLexer.LSS, PromQLLexer.GTE, PromQLLexer.LTE, PromQLLexer.AND,
                    PromQLLexer.OR, PromQLLexer.UNLESS -> true;
            default -> false;
        };
    }

    /** The last line of defence should an expression within the limits still exhaust a small thread stack. */
    public static QueryException tooDeep() {
        return new QueryException(QueryException.ErrorType.BAD_DATA, "parse error: the expression is nested too deeply for "
                + "this server's stack (the limit of " + MAX_NESTING + " levels, see docs/PROMQL.md)");
    }

    /** Parses a series selector such as {@code up{job="api"}} (for {@code match[]}). */
    public static List<LabelMatcher> parseSelector(String input) {
        Expr e = parse(input);
        if (!(e instanceof VectorSelector vs)) {
            throw new QueryException(QueryException.ErrorType.BAD_DATA,
                    "invalid series selector " + input + ": expected a vector selector, got " + e.type());
        }
        return vs.matchers();
    }

    private static String describe(Token t) {
        if (t.getType() == Token.EOF) {
            return "unexpected end of input: ";
        }
        return t.getType() == PromQLLexer.UNEXPECTED ? "unexpected character " + quote(t.getText()) + ": "
                : "unexpected " + quote(t.getText()) + ": ";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }

    private static QueryException error(ParserRuleContext ctx, String message) {
        Token start = ctx.getStart();
        return new QueryException(QueryException.ErrorType.BAD_DATA,
                start.getLine() + ":" + (start.getCharPositionInLine() + 1) + ": parse error: " + message);
    }

    private static QueryException unsupported(ParserRuleContext ctx, String what) {
        return error(ctx, what + " is not supported by Banyan (see docs/PROMQL.md)");
    }

    // ---- selectors ----

    @Override
    public Expr visitSelectorExpr(PromQLParser.SelectorExprContext ctx) {
        List<LabelMatcher> matchers = new ArrayList<>();
        if (ctx.labelMatchers() != null) {
            for (PromQLParser.LabelMatcherContext m : ctx.labelMatchers().labelMatcher()) {
                matchers.add(matcher(m));
            }
        }
        if (ctx.metricName() != null) {
            String name = ctx.metricName().getText();
            for (LabelMatcher m : matchers) {
                if (m.name().equals(Labels.METRIC_NAME)) {
                    throw error(ctx, "metric name must not be set twice: \"" + name + "\" or \"" + m.value() + "\"");
                }
            }
            matchers.add(LabelMatcher.equal(Labels.METRIC_NAME, name));
        } else if (matchers.stream().allMatch(m -> m.matches(""))) {
            throw error(ctx, "vector selector must contain at least one non-empty matcher");
        }
        return new VectorSelector(List.copyOf(matchers), 0);
    }

    private static LabelMatcher matcher(PromQLParser.LabelMatcherContext m) {
        String name = m.labelName().getText();
        if (!LABEL_NAME.matcher(name).matches()) {
            throw error(m, "invalid label name " + quote(name) + " in label matcher");
        }
        LabelMatcher.Type type = switch (m.op.getType()) {
            case PromQLLexer.EQL -> LabelMatcher.Type.EQUAL;
            case PromQLLexer.NEQ -> LabelMatcher.Type.NOT_EQUAL;
            case PromQLLexer.EQL_REGEX -> LabelMatcher.Type.REGEX;
            default -> LabelMatcher.Type.NOT_REGEX;
        };
        String value = unquote(m, m.STRING().getText());
        try {
            return LabelMatcher.of(name, type, value);
        } catch (IllegalArgumentException e) {
            throw error(m, "error parsing regexp " + quote(value) + ": " + e.getMessage().split("\n")[0]);
        }
    }

    @Override
    public Expr visitRangeExpr(PromQLParser.RangeExprContext ctx) {
        Expr inner = visit(ctx.expr());
        if (!(inner instanceof VectorSelector vs)) {
            throw error(ctx, "ranges only allowed for vector selectors");
        }
        if (vs.offsetMs() != 0) {
            throw error(ctx, "no offset modifiers allowed before range");
        }
        return new MatrixSelector(vs, duration(ctx, ctx.DURATION().getText()));
    }

    @Override
    public Expr visitSubqueryExpr(PromQLParser.SubqueryExprContext ctx) {
        throw unsupported(ctx, "a subquery (expr[range:step])");
    }

    @Override
    public Expr visitAtExpr(PromQLParser.AtExprContext ctx) {
        throw unsupported(ctx, "the @ modifier");
    }

    @Override
    public Expr visitOffsetExpr(PromQLParser.OffsetExprContext ctx) {
        Expr inner = visit(ctx.expr());
        long offset = duration(ctx, ctx.DURATION().getText());
        if (ctx.sign != null && ctx.sign.getType() == PromQLLexer.SUB) {
            offset = -offset;
        }
        if (inner instanceof VectorSelector vs) {
            if (vs.offsetMs() != 0) {
                throw error(ctx, "offset may not be set multiple times");
            }
            return new VectorSelector(vs.matchers(), offset);
        }
        if (inner instanceof MatrixSelector ms) {
            if (ms.selector().offsetMs() != 0) {
                throw error(ctx, "offset may not be set multiple times");
            }
            return new MatrixSelector(new VectorSelector(ms.selector().matchers(), offset), ms.rangeMs());
        }
        throw error(ctx, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    // ---- literals ----

    @Override
    public Expr visitNumberExpr(PromQLParser.NumberExprContext ctx) {
        return new NumberLiteral(number(ctx.NUMBER().getText()));
    }

    @Override
    public Expr visitStringExpr(PromQLParser.StringExprContext ctx) {
        return new StringLiteral(unquote(ctx, ctx.STRING().getText()));
    }

    @Override
    public Expr visitParenExpr(PromQLParser.ParenExprContext ctx) {
        return new Paren(visit(ctx.expr()));
    }

    // ---- operators ----

    @Override
    public Expr visitUnaryExpr(PromQLParser.UnaryExprContext ctx) {
        Expr inner = visit(ctx.expr());
        boolean negate = ctx.op.getType() == PromQLLexer.SUB;
        if (inner instanceof NumberLiteral n) {
            return new NumberLiteral(negate ? -n.value() : n.value());
        }
        if (inner.type() != ValueType.SCALAR && inner.type() != ValueType.VECTOR) {
            throw error(ctx, "unary expression only allowed on expressions of type scalar or instant vector, got \""
                    + inner.type() + "\"");
        }
        return new Unary(negate, inner);
    }

    @Override
    public Expr visitBinaryExpr(PromQLParser.BinaryExprContext ctx) {
        Expr lhs = visit(ctx.expr(0));
        Expr rhs = visit(ctx.expr(1));
        BinaryOp op = binaryOp(ctx.op);
        PromQLParser.ModifiersContext mods = ctx.modifiers();
        boolean returnBool = mods.BOOL() != null;
        Cardinality card = op.isSetOperator() ? Cardinality.MANY_TO_MANY : Cardinality.ONE_TO_ONE;
        boolean on = false;
        List<String> matching = List.of();
        List<String> include = List.of();
        if (mods.onOrIgnoring != null) {
            on = mods.onOrIgnoring.getType() == PromQLLexer.ON;
            matching = labelList(mods.labelList(0));
            if (mods.group != null) {
                if (op.isSetOperator()) {
                    throw error(ctx, "no grouping allowed for \"" + op + "\" operation");
                }
                card = mods.group.getType() == PromQLLexer.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
                include = mods.labelList().size() > 1 ? labelList(mods.labelList(1)) : List.of();
            }
        }
        if (returnBool && !op.isComparison()) {
            throw error(ctx, "bool modifier can only be used on comparison operators");
        }
        if (op.isComparison() && !returnBool && lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR) {
            throw error(ctx, "comparisons between scalars must use BOOL modifier");
        }
        if (on) {
            for (String l : matching) {
                if (include.contains(l)) {
                    throw error(ctx, "label \"" + l + "\" must not occur in ON and GROUP clause at once");
                }
            }
        }
        for (Expr side : List.of(lhs, rhs)) {
            if (side.type() != ValueType.SCALAR && side.type() != ValueType.VECTOR) {
                throw error(ctx, "binary expression must contain only scalar and instant vector types");
            }
        }
        VectorMatching vm = null;
        if (lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR) {
            vm = new VectorMatching(card, on, matching, include);
        } else {
            if (!matching.isEmpty()) {
                throw error(ctx, "vector matching only allowed between instant vectors");
            }
            if (op.isSetOperator()) {
                throw error(ctx, "set operator \"" + op + "\" not allowed in binary scalar expression");
            }
        }
        return new Binary(op, lhs, rhs, vm, returnBool);
    }

    private static BinaryOp binaryOp(Token t) {
        return switch (t.getType()) {
            case PromQLLexer.POW -> BinaryOp.POW;
            case PromQLLexer.MUL -> BinaryOp.MUL;
            case PromQLLexer.DIV -> BinaryOp.DIV;
            case PromQLLexer.MOD -> BinaryOp.MOD;
            case PromQLLexer.ATAN2 -> BinaryOp.ATAN2;
            case PromQLLexer.ADD -> BinaryOp.ADD;
            case PromQLLexer.SUB -> BinaryOp.SUB;
            case PromQLLexer.EQLC -> BinaryOp.EQLC;
            case PromQLLexer.NEQ -> BinaryOp.NEQ;
            case PromQLLexer.GTR -> BinaryOp.GTR;
            case PromQLLexer.LSS -> BinaryOp.LSS;
            case PromQLLexer.GTE -> BinaryOp.GTE;
            case PromQLLexer.LTE -> BinaryOp.LTE;
            case PromQLLexer.AND -> BinaryOp.AND;
            case PromQLLexer.UNLESS -> BinaryOp.UNLESS;
            default -> BinaryOp.OR;
        };
    }

    // ---- aggregations and calls ----

    @Override
    public Expr visitAggregateExpr(PromQLParser.AggregateExprContext ctx) {
        AggregateOp op = AggregateOp.valueOf(ctx.aggregateOp().getText().toUpperCase(java.util.Locale.ROOT));
        List<Expr> args = args(ctx.args());
        if (args.isEmpty()) {
            throw error(ctx, "no arguments for aggregate expression provided");
        }
        int wanted = op.takesParam() ? 2 : 1;
        if (args.size() != wanted) {
            throw error(ctx, "wrong number of arguments for aggregate expression provided, expected " + wanted + ", got "
                    + args.size());
        }
        Expr param = op.takesParam() ? args.get(0) : null;
        Expr expr = args.get(wanted - 1);
        expectType(ctx, expr, ValueType.VECTOR, "aggregation expression");
        if (op == AggregateOp.COUNT_VALUES) {
            expectType(ctx, param, ValueType.STRING, "aggregation parameter");
        } else if (param != null) {
            expectType(ctx, param, ValueType.SCALAR, "aggregation parameter");
        }
        boolean without = false;
        List<String> grouping = List.of();
        if (ctx.grouping() != null) {
            without = ctx.grouping().kind.getType() == PromQLLexer.WITHOUT;
            grouping = labelList(ctx.grouping().labelList());
        }
        return new Aggregate(op, param, expr, grouping, without);
    }

    @Override
    public Expr visitCallExpr(PromQLParser.CallExprContext ctx) {
        String name = ctx.IDENTIFIER().getText();
        Function fn = Function.lookup(name);
        if (fn == null) {
            if (Function.isKnownUnsupported(name)) {
                throw unsupported(ctx, "the function " + name + "()");
            }
            throw error(ctx, "unknown function with name \"" + name + "\"");
        }
        List<Expr> args = args(ctx.args());
        int declared = fn.args().size();
        if (fn.variadic() == 0) {
            if (args.size() != declared) {
                throw error(ctx, "expected " + declared + " argument(s) in call to \"" + name + "\", got " + args.size());
            }
        } else {
            int min = declared - 1;
            if (args.size() < min) {
                throw error(ctx, "expected at least " + min + " argument(s) in call to \"" + name + "\", got " + args.size());
            }
            if (fn.variadic() > 0 && args.size() > min + fn.variadic()) {
                throw error(ctx, "expected at most " + (min + fn.variadic()) + " argument(s) in call to \"" + name
                        + "\", got " + args.size());
            }
        }
        for (int i = 0; i < args.size(); i++) {
            expectType(ctx, args.get(i), fn.args().get(Math.min(i, declared - 1)), "call to function \"" + name + "\"");
        }
        return new Call(fn, args);
    }

    private List<Expr> args(PromQLParser.ArgsContext ctx) {
        List<Expr> args = new ArrayList<>();
        for (PromQLParser.ExprContext e : ctx.expr()) {
            args.add(visit(e));
        }
        return args;
    }

    private static void expectType(ParserRuleContext ctx, Expr e, ValueType want, String context) {
        if (e.type() != want) {
            throw error(ctx, "expected type " + want + " in " + context + ", got " + e.type());
        }
    }

    private static List<String> labelList(PromQLParser.LabelListContext ctx) {
        List<String> names = new ArrayList<>();
        for (PromQLParser.LabelNameContext l : ctx.labelName()) {
            String name = l.getText();
            if (!LABEL_NAME.matcher(name).matches()) {
                throw error(l, "invalid label name " + quote(name) + " in grouping opts");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    // ---- lexical values ----

    /** A duration as Prometheus's model.ParseDuration reads it, in ms; zero is refused. */
    static long duration(ParserRuleContext ctx, String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw error(ctx, "not a valid duration string: " + quote(text));
        }
        long ms = 0;
        for (int g = 1; g <= DURATION_UNITS_MS.length; g++) {
            if (m.group(g) != null) {
                try {
                    ms = Math.addExact(ms, Math.multiplyExact(Long.parseLong(m.group(g)), DURATION_UNITS_MS[g - 1]));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw error(ctx, "duration out of range: " + quote(text));
                }
            }
        }
        if (ms == 0) {
            throw error(ctx, "duration must be greater than 0");
        }
        return ms;
    }

    /** A number as Prometheus reads it: an integer in Go syntax (0x1f, 017 octal) first, else a float. */
    static double number(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        if (lower.startsWith("0x")) {
            return new java.math.BigInteger(text.substring(2), 16).doubleValue();
        }
        if (text.length() > 1 && text.charAt(0) == '0' && text.chars().allMatch(c -> c >= '0' && c <= '7')) {
            return Long.parseLong(text, 8);
        }
        return Double.parseDouble(text);
    }

    /** Unquotes a string literal as Prometheus does (Go escapes; single and double quotes; raw backticks). */
    static String unquote(ParserRuleContext ctx, String quoted) {
        char quote = quoted.charAt(0);
        String body = quoted.substring(1, quoted.length() - 1);
        if (quote == '`') {
            return body;
        }
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case '\\' -> out.append('\\');
                case '\'', '"' -> {
                    if (e != quote) {
                        throw error(ctx, "invalid escape sequence \\" + e + " in string " + quoted);
                    }
                    out.append(e);
                }
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    int code = hex(ctx, quoted, body, i + 1, digits);
                    if (e == 'x') {
                        out.append((char) code); // a byte; label values are UTF-8 in Prometheus
                    } else {
                        if (!Character.isValidCodePoint(code) || (code >= 0xD800 && code <= 0xDFFF)) {
                            throw error(ctx, "invalid escape sequence in string " + quoted);
                        }
                        out.appendCodePoint(code);
                    }
                    i += digits;
                }
                default -> {
                    if (e >= '0' && e <= '7' && i + 2 < body.length()) {
                        String octal = body.substring(i, i + 3);
                        if (!octal.chars().allMatch(d -> d >= '0' && d <= '7') || Integer.parseInt(octal, 8) > 255) {
                            throw error(ctx, "invalid escape sequence in string " + quoted);
                        }
                        out.append((char) Integer.parseInt(octal, 8));
                        i += 2;
                    } else {
                        throw error(ctx, "unknown escape sequence \\" + e + " in string " + quoted);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int hex(ParserRuleContext ctx, String quoted, String body, int from, int digits) {
        if (from + digits > body.length()) {
            throw error(ctx, "invalid escape sequence in string " + quoted);
        }
        try {
            return (int) Long.parseLong(body.substring(from, from + digits), 16);
        } catch (NumberFormatException e) {
            throw error(ctx, "invalid escape sequence in string " + quoted);
        }
    }
}
