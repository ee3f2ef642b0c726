package com.databox.cmk.api;

import java.util.Map;
import java.util.Set;

/**
 * Routes of a surface the OpenAPI document leaves out (the Data Box jobs API, which Azure's specification
 * describes), so that its {@code 405} names the methods a route takes and {@code OPTIONS} answers them, as on
 * {@code /api/orders}.
 */
public interface RouteTable {
    /** Each path template, from the root ({@code {parameter}} for one segment), with the methods it takes. */
    Map<String, Set<String>> routes();
}
