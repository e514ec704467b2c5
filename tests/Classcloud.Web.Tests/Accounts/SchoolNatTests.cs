using System.Globalization;
using System.Net;
using Classcloud.Web.Hosting;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>
/// Issue 15, rate limits sized for a class behind one school NAT: with the default limits, 60 students
/// sign up, confirm and sign in from one address within a minute, while guessing one account's password
/// still locks that account (and only that account: the class goes on signing in).
/// </summary>
public sealed class SchoolNatTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task A_class_of_60_behind_one_address_signs_up_and_in_while_guessing_one_password_locks_it()
    {
        var defaults = host.Derive(configuration: new Dictionary<string, string?>
        {
            ["Classcloud:Limits:AuthRequestsPerMinute"] = new LimitsOptions().AuthRequestsPerMinute.ToString(CultureInfo.InvariantCulture),
        });
        var students = new List<TestUser>();
        foreach (var batch in Enumerable.Range(0, 60).Chunk(4))
        {
            // Each: sign-up, confirmation, sign-in, all from the school's one address (ClasscloudHost.ClientAddress).
            students.AddRange(await Task.WhenAll(batch.Select(_ => defaults.UserAsync(TestRole.Student))));
        }
        Assert.Equal(60, students.Select(s => s.Id).Distinct().Count());
        foreach (var student in students)
        {
            Assert.Equal(student.Email, (await student.Client.MeAsync()).Email);
        }

        var victim = students[0];
        var guesser = defaults.NewClient();
        for (var i = 1; i <= 4; i++)
        {
            await (await guesser.LoginAsync(victim.Email, $"guess-number-{i}")).ProblemAsync(HttpStatusCode.Unauthorized);
        }
        await (await guesser.LoginAsync(victim.Email, "guess-number-5")).ProblemAsync(HttpStatusCode.Forbidden);
        // Locked: even the right password is refused now.
        await (await defaults.NewClient().LoginAsync(victim.Email)).ProblemAsync(HttpStatusCode.Forbidden);
        // The rest of the class, on the same address, still signs in.
        await (await defaults.NewClient().LoginAsync(students[1].Email)).StatusAsync(HttpStatusCode.OK);
    }
}
