using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Classcloud.Web.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Courses;

/// <summary>Roster import (seed 002 §2.3): preview, confirm, encodings, invitations, limits, and CSV export without formulas.</summary>
public abstract class RosterTests(ClasscloudHost host)
{
    [Fact]
    public async Task Preview_reports_each_row_and_a_file_with_an_invalid_row_enrols_nobody()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var existing = await host.UserAsync(TestRole.Student);
        var unknown = TestAccounts.NewEmail("unknown");
        var csv = $"email,name,student number\n{existing.Email},Kim,2026001\n{unknown},Lee,2026002\n{existing.Email},Kim again,2026001\nnot-an-email,Park,2026003\n{cast.Member.Email},Member,2026004\n";
        var preview = await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster?dryRun=true", Api.Csv(csv)));
        Assert.True(preview.GetProperty("dryRun").GetBoolean());
        Assert.False(preview.GetProperty("valid").GetBoolean());
        Assert.Equal(["enrol", "invite", "duplicate", "invalid", "member"], preview.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal([2, 3, 4, 5, 6], preview.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()));
        Assert.Contains("not-an-email", preview.GetProperty("rows")[3].GetProperty("detail").GetString());

        var confirm = await Api.ExpectAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster", Api.Csv(csv)), HttpStatusCode.BadRequest);
        Assert.Contains("nobody is enrolled", confirm.GetProperty("detail").GetString());
        Assert.Equal(5, confirm.GetProperty("rows").GetArrayLength());
        Assert.False(await host.WithDbAsync(db => db.Enrolments.AnyAsync(e => e.CourseId == course.Id && e.UserId == existing.Id)));
        Assert.False(await host.WithDbAsync(db => db.CourseInvitations.AnyAsync(i => i.CourseId == course.Id)));
        Assert.Empty(await host.MailsToAsync(unknown));
    }

    [Fact]
    public async Task Confirmed_roster_enrols_existing_accounts_and_invites_the_rest_who_are_enrolled_after_sign_up()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var existing = await host.UserAsync(TestRole.Student);
        var unknown = TestAccounts.NewEmail("newcomer");
        var csv = $"Email,Name,Student ID\r\n{existing.Email},Kim,2026101\r\n{unknown},Lee,2026102\r\n";
        var report = await Api.OkAsync(cast.CoEducator.Client.PostAsync($"/api/v1/courses/{course.Id}/roster", Api.Csv(csv)));
        Assert.Equal(1, report.GetProperty("enrol").GetInt32());
        Assert.Equal(1, report.GetProperty("invite").GetInt32());
        var enrolment = await host.WithDbAsync(db => db.Enrolments.SingleAsync(e => e.CourseId == course.Id && e.UserId == existing.Id));
        Assert.Equal(EnrolmentStatus.Accepted, enrolment.Status);
        Assert.Equal("2026101", enrolment.StudentNumber);
        var mail = Assert.Single(await host.MailsToAsync(unknown));
        Assert.Contains("/signup?email=", mail.Body);

        var newcomer = await host.UserAsync(TestRole.Student, unknown);
        var joined = await host.WithDbAsync(db => db.Enrolments.SingleAsync(e => e.CourseId == course.Id && e.UserId == newcomer.Id));
        Assert.Equal(EnrolmentStatus.Accepted, joined.Status);
        Assert.Equal("2026102", joined.StudentNumber);
        Assert.False(await host.WithDbAsync(db => db.CourseInvitations.AnyAsync(i => i.CourseId == course.Id)));
        var mine = await Api.OkAsync(newcomer.Client.GetAsync("/api/v1/courses?mine=true"));
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetInt64() == course.Id);
    }

    [Theory]
    [InlineData("utf8")]
    [InlineData("utf8-bom")]
    [InlineData("cp949")]
    public async Task Korean_headers_and_names_are_read_in_every_encoding_Korean_spreadsheets_write(string encoding)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var email = TestAccounts.NewEmail("kor");
        var text = $"학번,이름,이메일\n20261234,김철수,{email}\n";
        byte[] bytes = encoding switch
        {
            "cp949" => Encoding.GetEncoding(949).GetBytes(text),
            "utf8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            _ => Encoding.UTF8.GetBytes(text),
        };
        var preview = await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster?dryRun=true", Api.File("명단.csv", bytes)));
        var row = Assert.Single(preview.GetProperty("rows").EnumerateArray());
        Assert.Equal("김철수", row.GetProperty("name").GetString());
        Assert.Equal("20261234", row.GetProperty("studentNumber").GetString());
        Assert.Equal(email, row.GetProperty("email").GetString());
        Assert.Equal("invite", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Files_without_usable_columns_or_too_big_or_too_long_are_refused_clearly_and_store_nothing()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var headerless = await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster?dryRun=true", Api.Csv($"{TestAccounts.NewEmail()};Kim;1\n")));
        Assert.Equal("invite", headerless.GetProperty("rows")[0].GetProperty("status").GetString());
        var noEmail = await Api.ExpectAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster", Api.Csv("name,number\nKim,1\n")), HttpStatusCode.BadRequest);
        Assert.Contains("e-mail", noEmail.GetProperty("detail").GetString());
        await Api.ExpectAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster", Api.Csv("")), HttpStatusCode.BadRequest);

        // 100,000 rows: far over the size limit, refused before anything is parsed.
        var huge = new StringBuilder("email,name,student number\n");
        for (var i = 0; i < 100_000; i++)
        {
            huge.Append(StudentName(i)).Append("@school.ac.kr,Student ").Append(i).Append(",2026").Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        var tooBig = await Api.ExpectAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster", Api.Csv(huge.ToString())), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("limit", tooBig.GetProperty("detail").GetString());

        // Short rows under the size limit, but more of them than the row limit.
        var many = new StringBuilder("email\n");
        for (var i = 0; i < 6_000; i++)
        {
            many.Append('s').Append(i).Append("@a.kr\n");
        }
        var tooMany = await Api.ExpectAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster", Api.Csv(many.ToString())), HttpStatusCode.BadRequest);
        Assert.Contains("5000", tooMany.GetProperty("detail").GetString()!.Replace(",", "", StringComparison.Ordinal));
        Assert.Equal(3, await host.WithDbAsync(db => db.Enrolments.CountAsync(e => e.CourseId == course.Id && e.Status == EnrolmentStatus.Accepted)));
        Assert.False(await host.WithDbAsync(db => db.CourseInvitations.AnyAsync(i => i.CourseId == course.Id)));

        await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/roster", new { file = "x" }), HttpStatusCode.UnsupportedMediaType);
        await Api.ExpectAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster", Api.File("r.csv", "email\na@b.kr\n"u8.ToArray(), field: "upload")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Formula_cells_from_a_roster_or_a_name_are_never_exported_as_formulas()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var formulaName = await host.UserAsync(TestRole.Student);
        await Api.OkAsync(formulaName.Client.PutAsJsonAsync("/api/v1/me", new { nickname = "=HYPERLINK(\"http://evil\")" }));
        var csv = $"email,name,student number\n{formulaName.Email},x,\"=cmd|' /C calc'!A0\"\n";
        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/courses/{course.Id}/roster", Api.Csv(csv)));
        var stored = await host.WithDbAsync(db => db.Enrolments.Where(e => e.CourseId == course.Id && e.UserId == formulaName.Id).Select(e => e.StudentNumber).SingleAsync());
        Assert.Equal("=cmd|' /C calc'!A0", stored);

        var response = await cast.Owner.Client.GetAsync($"/api/v1/courses/{course.Id}/members.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var export = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        Assert.Contains("'=cmd|' /C calc'!A0", export);
        Assert.Contains("'=HYPERLINK", export);
        foreach (var field in ParseFields(export))
        {
            Assert.False(field.Length > 0 && "=+-@\t\r".Contains(field[0], StringComparison.Ordinal), $"A field starts like a formula: {field}");
        }
    }

    static string StudentName(int i) => "student" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A tiny RFC 4180 reader for the assertion, independent of the exporter's library.</summary>
    static IEnumerable<string> ParseFields(string csv)
    {
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c is ',' or '\n')
            {
                yield return field.ToString();
                field.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }
        yield return field.ToString();
    }
}

public sealed class SqliteRosterTests(SqliteHost host) : RosterTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresRosterTests(PostgresHost host) : RosterTests(host), IClassFixture<PostgresHost>;
