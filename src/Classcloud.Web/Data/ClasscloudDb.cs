using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Assignments;
using Classcloud.Web.Courses;
using Classcloud.Web.Groups;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Mail;
using Classcloud.Web.Workspaces;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;
using Classcloud.Web.Monitoring;

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
    public DbSet<Course> Courses => Set<Course>();
    public DbSet<Enrolment> Enrolments => Set<Enrolment>();
    public DbSet<CoEducator> CoEducators => Set<CoEducator>();
    public DbSet<CourseInvitation> CourseInvitations => Set<CourseInvitation>();
    public DbSet<Post> Posts => Set<Post>();
    public DbSet<Board> Boards => Set<Board>();
    public DbSet<PostRead> PostReads => Set<PostRead>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationSetting> NotificationSettings => Set<NotificationSetting>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<GroupInvitation> GroupInvitations => Set<GroupInvitation>();
    public DbSet<Lease> Leases => Set<Lease>();
    public DbSet<Workload> Workloads => Set<Workload>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<Monitoring.HostSample> HostSamples => Set<Monitoring.HostSample>();
    public DbSet<Monitoring.RegistrySample> RegistrySamples => Set<Monitoring.RegistrySample>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<WorkspaceSnapshot> WorkspaceSnapshots => Set<WorkspaceSnapshot>();
    public DbSet<WorkspaceKey> WorkspaceKeys => Set<WorkspaceKey>();
    public DbSet<CourseEnvironment> CourseEnvironments => Set<CourseEnvironment>();
    public DbSet<CourseProvision> CourseProvisions => Set<CourseProvision>();
    public DbSet<WarmPoolEntry> WarmPoolEntries => Set<WarmPoolEntry>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<AssignmentTest> AssignmentTests => Set<AssignmentTest>();
    public DbSet<AssignmentExtension> AssignmentExtensions => Set<AssignmentExtension>();
    public DbSet<AssignmentDelivery> AssignmentDeliveries => Set<AssignmentDelivery>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<TestResult> TestResults => Set<TestResult>();
    public DbSet<Projects.Project> Projects => Set<Projects.Project>();
    public DbSet<Projects.ProjectBuild> ProjectBuilds => Set<Projects.ProjectBuild>();
    public DbSet<Projects.ProjectRevision> ProjectRevisions => Set<Projects.ProjectRevision>();
    public DbSet<Projects.Domains.ProjectDomain> ProjectDomains => Set<Projects.Domains.ProjectDomain>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ClasscloudDb).Assembly);
    }
}
