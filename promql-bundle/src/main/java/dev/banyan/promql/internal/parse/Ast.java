package dev.banyan.promql.internal.parse;

import java.util.List;

import dev.banyan.promql.api.LabelMatcher;

/** The syntax tree of a PromQL expression, type-checked by {@link AstBuilder}. */
public final class Ast {

    private Ast() {
    }

    /** The four value types of PromQL. */
    public enum ValueType {
        SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

        private final String description;

        ValueType(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** Any expression. */
    public sealed interface Expr permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, Call, Aggregate,
            Binary, Unary, Paren {
        ValueType type();
    }

    public record NumberLiteral(double value) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }
    }

    public record StringLiteral(String value) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.STRING;
        }
    }

    /** {@code name{matchers} offset d}; the metric name, if given, is one of the matchers. */
    public record VectorSelector(List<LabelMatcher> matchers, long offsetMs) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }
    }

    /** {@code selector[range]}. */
    public record MatrixSelector(VectorSelector selector, long rangeMs) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }
    }

    public record Call(Function function, List<Expr> args) implements Expr {
        @Override
        public ValueType type() {
            return function.returns();
        }
    }

    /** {@code op [by|without (grouping)] ([param,] expr)}. */
    public record Aggregate(AggregateOp op, Expr param, Expr expr, List<String> grouping, boolean without) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }
    }

    /** The aggregation operators Banyan evaluates. */
    public enum AggregateOp {
        SUM, AVG, MIN, MAX, COUNT, STDDEV, STDVAR, TOPK, BOTTOMK, QUANTILE, COUNT_VALUES, GROUP;

        boolean takesParam() {
            return this == TOPK || this == BOTTOMK || this == QUANTILE || this == COUNT_VALUES;
        }
    }

    /** Binary operators; comparison operators filter unless {@code bool} is given. */
    public enum BinaryOp {
        POW("^"), MUL("*"), DIV("/"), MOD("%"), ATAN2("atan2"), ADD("+"), SUB("-"),
        EQLC("=="), NEQ("!="), GTR(">"), LSS("<"), GTE(">="), LTE("<="), AND("and"), UNLESS("unless"), OR("or");

        private final String symbol;

        BinaryOp(String symbol) {
            this.symbol = symbol;
        }

        public boolean isComparison() {
            return ordinal() >= EQLC.ordinal() && ordinal() <= LTE.ordinal();
        }

        public boolean isSetOperator() {
            return this == AND || this == UNLESS || this == OR;
        }

        /** Prometheus drops {@code __name__} from the results of these (not of atan2 or comparisons). */
        public boolean dropsMetricName() {
            return this == ADD || this == SUB || this == MUL || this == DIV || this == POW || this == MOD;
        }

        @Override
        public String toString() {
            return symbol;
        }
    }

    /** How the two sides of a vector-vector operation match: cardinality and matching labels. */
    public enum Cardinality {
        ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
    }

    /**
     * @param on       {@code on(labels)} rather than {@code ignoring(labels)}
     * @param labels   the matching labels
     * @param include  the labels of {@code group_left(...)}/{@code group_right(...)}
     */
    public record VectorMatching(Cardinality card, boolean on, List<String> labels, List<String> include) {
    }

    /** {@code matching} is null unless both sides are instant vectors. */
    public record Binary(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) implements Expr {
        @Override
        public ValueType type() {
            return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
        }
    }

    public record Unary(boolean negate, Expr expr) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }
    }

    public record Paren(Expr expr) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }
    }

    /** Strips parentheses. */
    public static Expr unwrap(Expr e) {
        while (e instanceof Paren p) {
            e = p.expr();
        }
        return e;
    }
}
