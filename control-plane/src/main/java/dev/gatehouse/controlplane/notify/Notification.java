package dev.gatehouse.controlplane.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Something people should hear about: {@code event} (request.filed, request.decided, break_glass,
 * grant.expiring, grant.revoked), the channels the policy named, a one-line {@code text} (what Slack
 * shows) and the structured details.
 */
public record Notification(String event, List<String> channels, String text, ObjectNode data) {}
