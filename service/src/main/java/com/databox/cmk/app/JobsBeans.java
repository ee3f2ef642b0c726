package com.databox.cmk.app;

import com.databox.cmk.encryption.EncryptionService;
import com.databox.cmk.identity.ArmIdentityDirectory;
import com.databox.cmk.jobs.JobService;
import com.databox.cmk.jobs.JobsAccess;
import com.databox.cmk.jobs.storage.TableJobRecords;
import com.databox.cmk.order.OrderService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the Microsoft.DataBox/jobs surface (docs/DATABOX-ARM-API.md) to the domain and its own table. */
@ApplicationScoped
public class JobsBeans {

    @Produces
    @ApplicationScoped
    JobService jobService(
            StorageClients storage,
            OrderService orders,
            EncryptionService encryption,
            JobsAccess access,
            @ConfigProperty(name = "cmk.jobs.table", defaultValue = "armjobs") String table) {
        return new JobService(new TableJobRecords(storage.table(table)), orders, encryption, access, CmkServices.CLOCK);
    }

    /** Whether a caller may create jobs in a resource group: ARM's answer, asked through the directory's client. */
    @Produces
    @ApplicationScoped
    JobsAccess jobsAccess(ArmIdentityDirectory directory) {
        return directory.identityUse();
    }
}
