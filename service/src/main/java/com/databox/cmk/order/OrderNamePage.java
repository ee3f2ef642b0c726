package com.databox.cmk.order;

import java.util.List;

/** One page of order references, in tenant then name order; {@code continuation} is null on the last page. */
public record OrderNamePage(List<OrderRef> names, String continuation) {}
