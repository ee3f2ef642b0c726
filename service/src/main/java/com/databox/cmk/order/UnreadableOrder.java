package com.databox.cmk.order;

/**
 * An order whose stored row cannot be read again ({@code column}: the stored field that is damaged): a hand edit
 * or storage corruption, never a release's write. A reader of many orders leaves it out and names it rather than
 * failing the others.
 */
public record UnreadableOrder(OrderRef order, String column) {}
