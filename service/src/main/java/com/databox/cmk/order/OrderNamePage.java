package com.databox.cmk.order;

import java.util.List;

/** One page of order names; {@code continuation} is null on the last page. */
public record OrderNamePage(List<OrderName> names, String continuation) {}
