using System.Security.Cryptography;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Accounts;

/// <summary>
/// On the first start (no administrator yet) creates admin@localhost with a random password,
/// prints it once and writes it to $CLASSCLOUD_DATA/initial-admin-password (mode 0600).
/// </summary>
internal sealed class InitialAdministrator(
    ClasscloudDb db, UserManager<User> users, IOptions<ClasscloudOptions> options, TimeProvider time, ILogger<InitialAdministrator> logger) : IDataSeeder
{
    public const string Email = "admin@localhost";

    public async Task SeedAsync(CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.Role == AccountRole.Admin, ct))
        {
            return;
        }
        var password = RandomPassword();
        var admin = new User
        {
            UserName = Email,
            Email = Email,
            EmailConfirmed = true,
            Name = "Administrator",
            Nickname = "admin",
            Role = AccountRole.Admin,
            Status = AccountStatus.Active,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(admin, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not create the first administrator: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        var file = Path.Combine(options.Value.FullDataDirectory, "initial-admin-password");
        await using (var stream = new FileStream(file, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteLineAsync(password.AsMemory(), ct);
        }
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an older file keeps its mode otherwise
        Console.WriteLine($"""

            ==========================================================
             Classcloud administrator created
               e-mail:   {Email}
               password: {password}
             (also in {file}; change it on My page)
            ==========================================================

            """);
        logger.LogInformation("Created the first administrator {Email}", Email);
    }

    static string RandomPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = Enumerable.Range(0, 20).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray();
        chars[^1] = (char)('2' + RandomNumberGenerator.GetInt32(8)); // Identity wants a digit
        chars[^2] = (char)('a' + RandomNumberGenerator.GetInt32(26)); // and a lowercase letter
        return new string(chars);
    }
}
