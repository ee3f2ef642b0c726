package com.databox.cmk.testing;

import com.databox.cmk.app.CmkDefaults;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.audit.ShardResult;
import java.time.Clock;
import java.util.function.Function;

/** An audit service with no ports, whose shard audits do what the test says: for what hands shards over. */
public final class ShardAuditStub extends AuditService {
    private final Function<AuditShard, ShardResult> audit;

    public ShardAuditStub(Function<AuditShard, ShardResult> audit) {
        super(null, null, null, null, null, null, CmkDefaults.audit(), Clock.systemUTC());
        this.audit = audit;
    }

    /** Every delivery, whatever its count ({@link #runShard(AuditShard)} comes here too). */
    @Override
    public ShardResult runShard(AuditShard shard, long delivery) {
        return audit.apply(shard);
    }
}
