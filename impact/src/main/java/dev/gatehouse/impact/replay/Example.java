package dev.gatehouse.impact.replay;

import dev.gatehouse.engine.value.Value;
import java.util.List;

/**
 * One changed decision kept to show reviewers, masked.
 *
 * @param ordinal the entry's position in the corpus
 * @param source {@code file:line} or file
 * @param decisionId the log's decision id, the review's uid, or the golden file's description
 * @param input the input after the mask rules
 * @param erased the JSON pointers the mask rules removed
 * @param base the base outcome ({@code {"result": …}}, {@code {}}, or {@code {"error": …}})
 * @param head the head outcome
 * @param detail what differs, one line each ({@code + rule [action]: msg}, {@code - …}, {@code allowed: true → false})
 */
public record Example(long ordinal, String source, String decisionId, Value input, List<String> erased, Value base,
    Value head, List<String> detail) {}
