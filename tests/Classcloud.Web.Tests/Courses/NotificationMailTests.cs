using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Courses;

/// <summary>Notification mail (issue 17): the per-person setting, immediate mails, the daily digest and important notices.</summary>
public abstract class NotificationMailTests(ClasscloudHost host)
{
    [Fact]
    public async Task Setting_defaults_by_role_saves_and_refuses_bad_values()
    {
        var student = await host.UserAsync(TestRole.Student);
        var educator = await host.UserAsync(TestRole.Educator);
        var admin = await host.AdminAsync();
        Assert.Equal("off", await MailOfAsync(student));
        Assert.Equal("daily", await MailOfAsync(educator));
        Assert.Equal("daily", await MailOfAsync(admin));

        var saved = await (await student.Client.PutAsJsonAsync(Route, new { mail = "immediate" })).OkAsync<NotificationSettingsDto>();
        Assert.Equal("immediate", saved.Mail);
        Assert.Equal("immediate", await MailOfAsync(student));

        foreach (var bad in new object[] { new { mail = "weekly" }, new { mail = "" }, new { mail = "Daily" }, new { } })
        {
            var problem = await (await student.Client.PutAsJsonAsync(Route, bad)).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("Mail must be 'off', 'daily' or 'immediate'.", problem.Detail);
        }
        Assert.Equal("immediate", await MailOfAsync(student));
        await (await host.NewClient().GetAsync(Route)).StatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task My_page_shows_and_changes_the_setting_in_Korean_and_English()
    {
        var student = await host.UserAsync(TestRole.Student);
        var html = await student.Client.HtmlAsync("/me");
        Assert.Contains("value=\"off\" selected=\"selected\"", html, StringComparison.Ordinal);
        Assert.Contains("Notification mail", html, StringComparison.Ordinal);

        var saved = await student.Client.SubmitAsync("/me", "/me?handler=Notifications", ("mail", "immediate"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("immediate", await MailOfAsync(student));
        html = await student.Client.HtmlAsync("/me");
        Assert.Contains("value=\"immediate\" selected=\"selected\"", html, StringComparison.Ordinal);
        Assert.Contains("Your notification mail setting is saved.", html, StringComparison.Ordinal);

        var refused = await student.Client.SubmitAsync("/me", "/me?handler=Notifications", ("mail", "hourly"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Mail must be &#x27;off&#x27;, &#x27;daily&#x27; or &#x27;immediate&#x27;.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("immediate", await MailOfAsync(student));

        var korean = await student.Client.SendAsync(PageForms.Korean("GET", "/me"));
        var text = await korean.Content.ReadAsStringAsync();
        Assert.Contains("알림 메일", text, StringComparison.Ordinal);
        Assert.Contains("바로 (알림마다 메일 한 통)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Immediate_mails_each_new_notification_and_off_mails_none()
    {
        var (owner, course) = await CourseAsync(host, "Immediate");
        var eager = await JoinAsync(host, owner, course);
        var quiet = await JoinAsync(host, owner, course);
        await (await eager.Client.PutAsJsonAsync(Route, new { mail = "immediate" })).StatusAsync(HttpStatusCode.OK);
        var before = (await host.MailsToAsync(eager.Email)).Count;

        var title = "Lab moved " + Guid.NewGuid().ToString("N")[..6];
        var notice = await CourseCast.PostAsync(owner, course.Id, "notice", title, "everyone");

        var mail = Assert.Single((await host.MailsToAsync(eager.Email)).Skip(before));
        Assert.Equal($"New notice in {course.Name}: {title}", mail.Subject);
        Assert.Contains($"/posts/{notice}", mail.Body);
        Assert.Contains("/me", mail.Body);
        Assert.DoesNotContain(await host.MailsToAsync(quiet.Email), m => m.Subject.Contains(title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Important_notice_mails_every_member_even_with_mail_off()
    {
        var (owner, course) = await CourseAsync(host, "Important");
        var member = await JoinAsync(host, owner, course);
        Assert.Equal("off", await MailOfAsync(member));
        var outsider = await host.UserAsync(TestRole.Student);

        var plain = "Plain " + Guid.NewGuid().ToString("N")[..6];
        await CourseCast.PostAsync(owner, course.Id, "notice", plain, "everyone");
        var important = "Exam " + Guid.NewGuid().ToString("N")[..6];
        var created = await Api.CreatedAsync(owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/boards/notice/posts",
            new { title = important, body = "Bring your student card.", important = true }));
        Assert.True(created.GetProperty("important").GetBoolean());

        var mails = await host.MailsToAsync(member.Email);
        Assert.DoesNotContain(mails, m => m.Subject.Contains(plain, StringComparison.Ordinal));
        var mail = Assert.Single(mails, m => m.Subject.Contains(important, StringComparison.Ordinal));
        Assert.Equal($"Important notice in {course.Name}: {important}", mail.Subject);
        Assert.Contains("Bring your student card.", mail.Body);
        Assert.DoesNotContain(await host.MailsToAsync(outsider.Email), m => m.Subject.Contains(important, StringComparison.Ordinal));
        Assert.DoesNotContain(await host.MailsToAsync(owner.Email), m => m.Subject.Contains(important, StringComparison.Ordinal));

        // Only notices can be important.
        var problem = await (await owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/boards/free/posts",
            new { title = "x", body = "y", visibility = "everyone", important = true })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Only notices can be marked important.", problem.Detail);
    }

    [Fact]
    public async Task Notice_form_marks_a_notice_important_and_mails_members()
    {
        var (owner, course) = await CourseAsync(host, "Form");
        var member = await JoinAsync(host, owner, course);
        var title = "Form exam " + Guid.NewGuid().ToString("N")[..6];
        var page = $"/courses/{course.Id}/write?board=notice";
        var written = await owner.Client.SubmitAsync(page, page, ("Board", "notice"), ("Form.Title", title), ("Form.Body", "Room 301"), ("Form.Important", "true"));
        Assert.Equal(HttpStatusCode.Redirect, written.StatusCode);
        Assert.Single(await host.MailsToAsync(member.Email), m => m.Subject == $"Important notice in {course.Name}: {title}");
        Assert.Contains("post-important-badge", await member.Client.HtmlAsync(written.Headers.Location!.OriginalString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daily_digest_holds_exactly_the_unread_notifications_once_per_day()
    {
        var clock = new FakeTimeProvider();
        var timed = host.Derive(s => s.AddSingleton<TimeProvider>(clock), new Dictionary<string, string?>
        {
            ["Classcloud:Notifications:DigestTimeUtc"] = AnHourFrom(clock).ToString(),
        });
        var digest = timed.Services.GetRequiredService<NotificationDigest>();

        var (educator, readCourse) = await CourseAsync(timed, "Read");
        var unreadCourse = await NewCourseAsync(educator, "Unread");
        var student = await timed.UserAsync(TestRole.Student);
        var off = await timed.UserAsync(TestRole.Student);
        await (await student.Client.PutAsJsonAsync(Route, new { mail = "daily" })).StatusAsync(HttpStatusCode.OK);
        var application = await ApplyAsync(student, readCourse);
        await ApplyAsync(off, unreadCourse);
        var news = await Api.OkAsync(educator.Client.GetAsync("/api/v1/notifications?unread=true"));
        var read = news.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("text").GetString()!.Contains(readCourse.Name, StringComparison.Ordinal));
        await Api.OkAsync(educator.Client.PostAsJsonAsync("/api/v1/notifications/read", new { ids = new[] { read.GetProperty("id").GetInt64() } }));

        Assert.Equal(0, await digest.SendDueAsync(CancellationToken.None));   // today's digest moment is an hour away
        clock.Advance(TimeSpan.FromHours(2));
        // At least this educator's; other educators of this class's database may have news of their own.
        Assert.True(await digest.SendDueAsync(CancellationToken.None) >= 1);
        var first = Assert.Single(await DigestsAsync(timed, educator));
        Assert.Equal("Your Classcloud notifications: 1 unread", first.Subject);
        Assert.Contains(unreadCourse.Name, first.Body);
        Assert.DoesNotContain(readCourse.Name, first.Body);
        Assert.Empty(await DigestsAsync(timed, student));   // nothing has happened to them yet
        Assert.Empty(await DigestsAsync(timed, off));

        // Later the same day: the new news waits for tomorrow's digest, which holds only what came after today's.
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{readCourse.Id}/applications/{application}/accept", null));
        await ApplyAsync(off, readCourse);
        clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, await digest.SendDueAsync(CancellationToken.None));
        Assert.Single(await DigestsAsync(timed, educator));

        clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await digest.SendDueAsync(CancellationToken.None) >= 2);
        Assert.Equal(0, await digest.SendDueAsync(CancellationToken.None));   // once per day
        var second = (await DigestsAsync(timed, educator)).ToList();
        Assert.Equal(2, second.Count);
        Assert.Equal("Your Classcloud notifications: 1 unread", second[1].Subject);
        Assert.Contains(readCourse.Name, second[1].Body);
        Assert.DoesNotContain(unreadCourse.Name, second[1].Body);
        var toStudent = Assert.Single(await DigestsAsync(timed, student));
        Assert.Contains($"Your application to {readCourse.Name} was accepted.", toStudent.Body);
        Assert.Empty(await DigestsAsync(timed, off));
    }

    [Fact]
    public async Task The_controller_sends_a_due_digest_by_itself()
    {
        var clock = new FakeTimeProvider();
        var at = AnHourFrom(clock).ToString();
        var quiet = host.Derive(s => s.AddSingleton<TimeProvider>(clock), new Dictionary<string, string?> { ["Classcloud:Notifications:DigestTimeUtc"] = at });
        var (educator, course) = await CourseAsync(quiet, "Background");
        await ApplyAsync(await quiet.UserAsync(TestRole.Student), course);
        clock.Advance(TimeSpan.FromHours(2));

        // A host with the digest on, as in production, sends it at its first pass without being asked.
        var running = host.Derive(s => s.AddSingleton<TimeProvider>(clock), new Dictionary<string, string?>
        {
            ["Classcloud:Notifications:DigestTimeUtc"] = at,
            ["Classcloud:Notifications:DigestEnabled"] = "true",
        });
        _ = running.Services;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await DigestsAsync(quiet, educator)).Count == 0)
        {
            await Task.Delay(100, timeout.Token);
        }
        Assert.Contains(course.Name, Assert.Single(await DigestsAsync(quiet, educator)).Body);
        await running.DisposeAsync();   // its clock must not send other tests' digests
    }

    /// <summary>A digest moment (time of day) a little less than an hour after the clock's now.</summary>
    static TimeSpan AnHourFrom(FakeTimeProvider clock) =>
        TimeSpan.FromMinutes(Math.Floor((clock.GetUtcNow().UtcDateTime + TimeSpan.FromHours(1)).TimeOfDay.TotalMinutes));

    const string Route = "/api/v1/me/notification-settings";

    static async Task<string?> MailOfAsync(TestUser user) =>
        (await (await user.Client.GetAsync(Route)).OkAsync<NotificationSettingsDto>()).Mail;

    static async Task<IReadOnlyList<Classcloud.Web.Mail.OutboxMail>> DigestsAsync(ClasscloudHost host, TestUser user) =>
        (await host.MailsToAsync(user.Email)).Where(m => m.Subject.StartsWith("Your Classcloud notifications", StringComparison.Ordinal)).ToList();

    sealed record NewCourse(long Id, string Name);

    static async Task<(TestUser Owner, NewCourse Course)> CourseAsync(ClasscloudHost host, string tag)
    {
        var owner = await host.UserAsync(TestRole.Educator);
        return (owner, await NewCourseAsync(owner, tag));
    }

    static async Task<NewCourse> NewCourseAsync(TestUser owner, string tag)
    {
        var name = $"{tag} {Guid.NewGuid():N}"[..20];
        var course = await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/courses", new { name, description = "mail" }));
        return new NewCourse(course.GetProperty("id").GetInt64(), name);
    }

    static async Task<long> ApplyAsync(TestUser student, NewCourse course) =>
        (await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course.Id}/applications", null))).GetProperty("id").GetInt64();

    static async Task<TestUser> JoinAsync(ClasscloudHost host, TestUser owner, NewCourse course)
    {
        var student = await host.UserAsync(TestRole.Student);
        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course.Id}/applications", null));
        await Api.OkAsync(owner.Client.PostAsync($"/api/v1/courses/{course.Id}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
        return student;
    }
}

public sealed class SqliteNotificationMailTests(SqliteHost host) : NotificationMailTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresNotificationMailTests(PostgresHost host) : NotificationMailTests(host), IClassFixture<PostgresHost>;
