package dev.banyan.promql.internal.eval;

import dev.banyan.promql.api.Labels;

/**
 * One element of an instant vector at one evaluation step.
 *
 * @param timeMs the evaluation time, except for the samples {@code timestamp()} reads straight from a
 *               selector, which carry the sample's own time (as in Prometheus)
 */
record Sample(Labels labels, double value, long timeMs) {
}
