package io.infershield.proxy.security;

import java.util.List;

/** A stateless, thread-safe scanner for one category. Each call is linear in the length of {@code text}. */
public interface Detector {

    /** Findings in {@code text}, offsets into {@code text}. */
    List<Finding> scan(String text, Direction direction);
}
