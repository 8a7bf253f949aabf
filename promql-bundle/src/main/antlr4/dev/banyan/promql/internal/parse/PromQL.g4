// PromQL, written from the Prometheus 2.42 query language documentation
// (querying/basics.md, operators.md, functions.md). Operator precedence, highest first:
//   postfix [range], [range:step], offset, @ ; ^ (right-associative) ; unary + - ;
//   * / % atan2 ; + - ; == != <= < >= > ; and unless ; or
// Keywords and aggregation operators are case-insensitive, function names are not.
// Semantic checks (types, argument counts, durations, label names) live in AstBuilder, so that
// a construct this grammar accepts but Banyan does not evaluate fails with an error naming it.
grammar PromQL;

query : expr EOF ;

expr
    : expr LEFT_BRACKET DURATION RIGHT_BRACKET                              # rangeExpr
    // ":1m" lexes as a metric identifier; subqueries are refused anyway, so either form will do.
    | expr LEFT_BRACKET DURATION (COLON DURATION? | METRIC_IDENTIFIER) RIGHT_BRACKET  # subqueryExpr
    | expr OFFSET sign=(ADD | SUB)? DURATION                                # offsetExpr
    | expr AT atTime                                                        # atExpr
    | <assoc=right> expr op=POW modifiers expr                              # binaryExpr
    | op=(ADD | SUB) expr                                                   # unaryExpr
    | expr op=(MUL | DIV | MOD | ATAN2) modifiers expr                      # binaryExpr
    | expr op=(ADD | SUB) modifiers expr                                    # binaryExpr
    | expr op=(EQLC | NEQ | GTR | LSS | GTE | LTE) modifiers expr           # binaryExpr
    | expr op=(AND | UNLESS) modifiers expr                                 # binaryExpr
    | expr op=OR modifiers expr                                             # binaryExpr
    | aggregateOp grouping? LEFT_PAREN args RIGHT_PAREN                     # aggregateExpr
    | aggregateOp LEFT_PAREN args RIGHT_PAREN grouping                      # aggregateExpr
    | IDENTIFIER LEFT_PAREN args RIGHT_PAREN                                # callExpr
    | LEFT_PAREN expr RIGHT_PAREN                                           # parenExpr
    | metricName labelMatchers?                                             # selectorExpr
    | labelMatchers                                                         # selectorExpr
    | NUMBER                                                                # numberExpr
    | STRING                                                                # stringExpr
    ;

atTime : sign=(ADD | SUB)? NUMBER | IDENTIFIER LEFT_PAREN RIGHT_PAREN ;

modifiers : BOOL? (onOrIgnoring=(ON | IGNORING) labelList (group=(GROUP_LEFT | GROUP_RIGHT) labelList?)?)? ;

grouping : kind=(BY | WITHOUT) labelList ;

labelList : LEFT_PAREN (labelName (COMMA labelName)* COMMA?)? RIGHT_PAREN ;

args : (expr (COMMA expr)* COMMA?)? ;

labelMatchers : LEFT_BRACE (labelMatcher (COMMA labelMatcher)* COMMA?)? RIGHT_BRACE ;

labelMatcher : labelName op=(EQL | NEQ | EQL_REGEX | NEQ_REGEX) STRING ;

aggregateOp : SUM | AVG | MIN | MAX | COUNT | STDDEV | STDVAR | TOPK | BOTTOMK | QUANTILE | COUNT_VALUES | GROUP ;

metricName : IDENTIFIER | METRIC_IDENTIFIER ;

// Prometheus lets keywords serve as label names ({offset="x"}, by (group)).
labelName
    : IDENTIFIER | METRIC_IDENTIFIER | aggregateOp | AND | OR | UNLESS | ATAN2 | BY | WITHOUT | ON
    | IGNORING | GROUP_LEFT | GROUP_RIGHT | OFFSET | BOOL
    ;

// ---- lexer ----

SUM          options { caseInsensitive = true; } : 'sum' ;
AVG          options { caseInsensitive = true; } : 'avg' ;
MIN          options { caseInsensitive = true; } : 'min' ;
MAX          options { caseInsensitive = true; } : 'max' ;
COUNT        options { caseInsensitive = true; } : 'count' ;
STDDEV       options { caseInsensitive = true; } : 'stddev' ;
STDVAR       options { caseInsensitive = true; } : 'stdvar' ;
TOPK         options { caseInsensitive = true; } : 'topk' ;
BOTTOMK      options { caseInsensitive = true; } : 'bottomk' ;
QUANTILE     options { caseInsensitive = true; } : 'quantile' ;
COUNT_VALUES options { caseInsensitive = true; } : 'count_values' ;
GROUP        options { caseInsensitive = true; } : 'group' ;
AND          options { caseInsensitive = true; } : 'and' ;
OR           options { caseInsensitive = true; } : 'or' ;
UNLESS       options { caseInsensitive = true; } : 'unless' ;
ATAN2        options { caseInsensitive = true; } : 'atan2' ;
BY           options { caseInsensitive = true; } : 'by' ;
WITHOUT      options { caseInsensitive = true; } : 'without' ;
ON           options { caseInsensitive = true; } : 'on' ;
IGNORING     options { caseInsensitive = true; } : 'ignoring' ;
GROUP_LEFT   options { caseInsensitive = true; } : 'group_left' ;
GROUP_RIGHT  options { caseInsensitive = true; } : 'group_right' ;
OFFSET       options { caseInsensitive = true; } : 'offset' ;
BOOL         options { caseInsensitive = true; } : 'bool' ;

NUMBER
    : [0-9]+ ('.' [0-9]*)? EXPONENT?
    | '.' [0-9]+ EXPONENT?
    | '0' [xX] [0-9a-fA-F]+
    | INF
    | NAN
    ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;
fragment INF options { caseInsensitive = true; } : 'inf' ;
fragment NAN options { caseInsensitive = true; } : 'nan' ;

// 1h30m; the unit order and uniqueness are checked when the duration is parsed.
DURATION : ([0-9]+ ('ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y'))+ ;

STRING
    : '"' (~["\\\n] | '\\' .)* '"'
    | '\'' (~['\\\n] | '\\' .)* '\''
    | '`' ~'`'* '`'
    ;

IDENTIFIER        : [a-zA-Z_] [a-zA-Z0-9_]* ;
METRIC_IDENTIFIER : [a-zA-Z_:] [a-zA-Z0-9_:]* ;

LEFT_PAREN    : '(' ;
RIGHT_PAREN   : ')' ;
LEFT_BRACE    : '{' ;
RIGHT_BRACE   : '}' ;
LEFT_BRACKET  : '[' ;
RIGHT_BRACKET : ']' ;
COMMA         : ',' ;
COLON         : ':' ;
AT            : '@' ;
ADD           : '+' ;
SUB           : '-' ;
MUL           : '*' ;
DIV           : '/' ;
MOD           : '%' ;
POW           : '^' ;
EQLC          : '==' ;
NEQ           : '!=' ;
GTE           : '>=' ;
GTR           : '>' ;
LTE           : '<=' ;
LSS           : '<' ;
EQL           : '=' ;
EQL_REGEX     : '=~' ;
NEQ_REGEX     : '!~' ;

COMMENT    : '#' ~[\r\n]* -> skip ;
WHITESPACE : [ \t\r\n]+ -> skip ;

// Anything else is reported by the parser as an unexpected character, never silently dropped.
UNEXPECTED : . ;
