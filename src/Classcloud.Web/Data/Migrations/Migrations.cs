using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Classcloud.Web.Data.Migrations;

// One class per migration; its SQL lives in Sqlite/<id>.sql and Postgres/<id>.sql beside this file.
// To add one: change the model, run `dotnet run --project src/Classcloud.Web -- schema sqlite`
// (and `postgres`), write the difference as ALTER/CREATE statements, and let MigrationSchemaTests confirm.

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122000000_Initial")]
public sealed class Initial : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122010000_Courses")]
public sealed class Courses : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122020000_Controller")]
public sealed class Controller : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122031500_BoardCounts")]
public sealed class CourseBoards : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122040000_Monitoring")]
public sealed class Monitoring : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122050000_Workspaces")]
public sealed class Workspaces : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122060000_CourseEnvironments")]
public sealed class CourseEnvironmentTables : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122073000_WorkspaceCapacity")]
public sealed class WorkspaceCapacity : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122090000_WarmPool")]
public sealed class WarmPoolTables : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261122091000_CourseIdle")]
public sealed class CourseIdle : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207050000_WorkloadOwner")]
public sealed class WorkloadOwner : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207100000_Assignments")]
public sealed class AssignmentTables : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207110000_Projects")]
public sealed class ProjectTables : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207130500_CourseArchive")]
public sealed class CourseArchive : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207150000_ProcessSafety")]
public sealed class ProcessSafety : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207160000_NotificationMail")]
public sealed class NotificationMailTables : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207170000_ProjectGit")]
public sealed class ProjectGit : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207172000_ResourceQuotas")]
public sealed class ResourceQuotaColumns : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207173000_HomeDiskLimit")]
public sealed class HomeDiskLimit : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207174000_WorkspaceSizes")]
public sealed class WorkspaceSizeColumn : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207180000_ManualGrading")]
public sealed class ManualGrading : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207181000_ProjectDomains")]
public sealed class ProjectDomainTable : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207190000_WorkspaceCliTokens")]
public sealed class WorkspaceCliTokenTable : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207200000_Lti")]
public sealed class LtiTables : SqlMigration;

[DbContext(typeof(ClasscloudDb))]
[Migration("20261207210000_RaisedHands")]
public sealed class RaisedHands : SqlMigration;
