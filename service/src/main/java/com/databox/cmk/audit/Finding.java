package com.databox.cmk.audit;

/** An order whose key could not be used by its identity during an audit run. */
public record Finding(String orderName, String errorCode, String message, String resolution) {}
