using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Controller;
using Classcloud.Web.Mail;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Data;

/// <summary>The one database: desired state of everything (DESIGN.md §2). Features add their sets here.</summary>
public sealed class ClasscloudDb(DbContextOptions<ClasscloudDb> options) : IdentityUserContext<User, long>(options)
{
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();
    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();
    public DbSet<PlatformSettings> Settings => Set<PlatformSettings>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<OutboxMail> Mail => Set<OutboxMail>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Lease> Leases => Set<Lease>();
    public DbSet<Workload> Workloads => Set<Workload>();
    public DbSet<Alert> Alerts => Set<Alert>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ClasscloudDb).Assembly);
    }
}
