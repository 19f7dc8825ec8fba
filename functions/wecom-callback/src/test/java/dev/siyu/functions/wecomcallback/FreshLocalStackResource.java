package dev.siyu.functions.wecomcallback;

/**
 * A second, separate stack: Quarkus restarts the function for a test class with a different
 * resource, so routing assertions start from untouched staff counters.
 */
public class FreshLocalStackResource extends LocalStackResource {
}
