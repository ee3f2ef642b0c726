package com.databox.cmk.order;

/**
 * Which order: its name within its tenant. Names are unique per tenant only, so an order is
 * never found, listed or changed by its name alone (issue 12).
 */
public record OrderRef(TenantId tenant, OrderName name) {
    public OrderRef {
        if (tenant == null || name == null) {
            throw new IllegalArgumentException("An order reference needs a tenant and a name");
        }
    }

    @Override
    public String toString() {
        return name.value();
    }
}
