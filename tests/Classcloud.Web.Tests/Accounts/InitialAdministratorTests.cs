using System.Net;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>The first start creates admin@localhost and writes its password to a private file; later starts leave both alone.</summary>
public abstract class InitialAdministratorTests(ClasscloudHost host)
{
    string PasswordFile => Path.Combine(host.DataDirectory, "initial-admin-password");

    [Fact]
    public async Task First_start_writes_the_password_file_readable_only_by_its_owner()
    {
        var password = host.AdminPassword;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PasswordFile));
        Assert.True(password.Length >= 20);

        var admin = await host.AdminAsync();
        var me = await admin.Client.MeAsync();
        Assert.Equal((InitialAdministrator.Email, "admin", "active"), (me.Email, me.Role, me.Status));
        Assert.Equal(1, await host.WithDbAsync(db => db.Users.CountAsync(u => u.Role == AccountRole.Admin)));
    }

    [Fact]
    public async Task Second_host_on_the_same_data_creates_no_administrator_and_keeps_the_file()
    {
        var password = host.AdminPassword;
        var written = File.GetLastWriteTimeUtc(PasswordFile);
        var admins = await host.WithDbAsync(db => db.Users.Where(u => u.Role == AccountRole.Admin).Select(u => u.Id).ToListAsync());

        var second = host.Derive();
        _ = second.Services; // starts it: migrations and first-start seeding run again
        await (await second.NewClient().GetAsync("/healthz")).StatusAsync(HttpStatusCode.OK);

        Assert.Equal(password, (await File.ReadAllTextAsync(PasswordFile)).Trim());
        Assert.Equal(written, File.GetLastWriteTimeUtc(PasswordFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PasswordFile));
        Assert.Equal(admins, await second.WithDbAsync(db => db.Users.Where(u => u.Role == AccountRole.Admin).Select(u => u.Id).ToListAsync()));
        await (await second.NewClient().LoginAsync(InitialAdministrator.Email, password)).StatusAsync(HttpStatusCode.OK);
    }
}

public sealed class SqliteInitialAdministratorTests(SqliteHost host) : InitialAdministratorTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresInitialAdministratorTests(PostgresHost host) : InitialAdministratorTests(host), IClassFixture<PostgresHost>;
