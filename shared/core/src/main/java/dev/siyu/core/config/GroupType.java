package dev.siyu.core.config;

/** A customer group type; entryCondition is a CEL expression over `customer` (empty = anyone). */
public record GroupType(String name, int maxMembers, String entryCondition, String autoWelcome, String sopTemplate) { }
