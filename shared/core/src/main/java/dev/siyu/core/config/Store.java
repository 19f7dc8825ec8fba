package dev.siyu.core.config;

/** A physical store; location_based channel codes get one contact way per store. */
public record Store(String storeId, String storeName, String city) { }
