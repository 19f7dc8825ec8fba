package dev.siyu.core.gate;

/** The rule behind a gate decision; written to the timeline and counted per rule. */
public enum Rule {
    CONSENT,
    RELATIONSHIP,
    QUIET_HOURS,
    MASS_MESSAGE_CAP,
    MOMENTS_CAP,
    JOURNEY_MESSAGE_CAP,
    CONTENT_MIX,
    HUMAN_TOUCHPOINT,
    SENSITIVE_REVIEW,
    /** WeCom's own limit (errcode 41048), reported by the platform rather than counted by us. */
    PLATFORM_CAP
}
