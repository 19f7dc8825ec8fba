package dev.siyu.core.gate;

/** The seed's content split: communities must stay at 70%+ value, under 30% promotional. */
public enum ContentClass {
    VALUE,
    PROMOTIONAL
}
