using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Classcloud.Web.Admin;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Tests.Privacy;

/// <summary>Issue 16: the audit log over a date range as CSV or JSON lines, checked input, spreadsheet-safe cells.</summary>
public abstract class AuditExportTests(ClasscloudHost host)
{
    static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("to=2026-12-31", "Give the range to export")]
    [InlineData("from=2026-01-01", "Give the range to export")]
    [InlineData("from=yesterday&to=2026-12-31", "'yesterday' is not a date")]
    [InlineData("from=2026-12-31&to=2026-01-01", "The range must end after it starts.")]
    [InlineData("from=2026-01-01&to=2026-12-31&format=xlsx", "The format must be csv or jsonl.")]
    public async Task Bad_ranges_and_formats_are_refused_with_a_problem(string query, string detail)
    {
        var admin = await host.AdminAsync();
        var problem = await (await admin.Client.GetAsync("/api/v1/admin/audit/export?" + query)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_keeps_commas_quotes_and_would_be_formulas_as_text()
    {
        var admin = await host.AdminAsync();
        var user = await host.UserAsync(TestRole.Student);
        var name = "=HYPERLINK(\"http://x\",\"a,b\")" + Guid.NewGuid().ToString("N")[..6];
        await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name, expiresInDays = 7 })).StatusAsync(HttpStatusCode.Created);

        using var response = await admin.Client.GetAsync($"/api/v1/admin/audit/export?from={Today}&to={Today}&format=csv", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentLength); // streamed
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFFid,at,actor_id,actor,action,target,detail,ip_address", text, StringComparison.Ordinal);
        var rows = ParseCsv(text.TrimStart('\uFEFF'));
        Assert.All(rows, r => Assert.Equal(8, r.Count));
        var token = Assert.Single(rows, r => r[4] == AuditActions.TokenCreate && r[5].EndsWith(name[^6..], StringComparison.Ordinal));
        Assert.Equal("'" + name, token[5]);
        Assert.Equal(user.Email, token[3]);
        // Nothing outside the range: an empty year long ago has the header only.
        var old = await admin.Client.GetStringAsync("/api/v1/admin/audit/export?from=2001-01-01&to=2001-12-31");
        Assert.Single(ParseCsv(old.TrimStart('\uFEFF')));
    }

    [Fact]
    public async Task Json_lines_give_one_entry_per_line_and_the_export_is_itself_recorded()
    {
        var admin = await host.AdminAsync();
        var user = await host.UserAsync(TestRole.Student);
        var text = await admin.Client.GetStringAsync($"/api/v1/admin/audit/export?from={Today}T00:00:00Z&to={Today}&format=jsonl");
        var entries = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<AuditDto>(l, JsonSerializerOptions.Web)!).ToList();
        Assert.Contains(entries, e => e.Action == AuditActions.SignUp && e.Target == user.Email);
        Assert.All(entries, e => Assert.Equal(DateTime.UtcNow.Date, e.At.Date));
        Assert.Equal(entries.Count, entries.Select(e => e.Id).Distinct().Count());
        var recorded = await (await admin.Client.GetAsync("/api/v1/admin/audit?action=audit.export")).OkAsync<Classcloud.Web.Hosting.Paged<AuditDto>>();
        Assert.Contains(recorded.Items, e => e.ActorId == admin.Id && e.Detail!.EndsWith("as jsonl", StringComparison.Ordinal));
    }

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(cell.ToString());
                    cell.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }
        return rows;
    }
}

public sealed class SqliteAuditExportTests(SqliteHost host) : AuditExportTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAuditExportTests(PostgresHost host) : AuditExportTests(host), IClassFixture<PostgresHost>;
