package dev.banyan.initerror;

/** Compiled only by the violation-initerror-import profile: a leaf bundle must not import org.slf4j. */
final class LeafViolation {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeafViolation.class);
}
