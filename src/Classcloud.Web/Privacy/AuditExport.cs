using System.Globalization;
using System.Text;
using System.Text.Json;
using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Privacy;

/// <summary>A checked export request: [From, To) in UTC and the format.</summary>
public sealed record AuditRange(DateTime From, DateTime To, bool Csv);

/// <summary>
/// The audit log over a date range as CSV or JSON lines (issue 16), for an auditor or a SIEM. Rows are read and
/// written in batches, so a year of sign-ins streams without sitting in memory. CSV cells a spreadsheet would run
/// as a formula (=, +, -, @, tab, CR) get a leading quote, as in the member export.
/// </summary>
public sealed class AuditExport(ClasscloudDb db)
{
    const int Batch = 500;
    static readonly string[] Columns = ["id", "at", "actor_id", "actor", "action", "target", "detail", "ip_address"];
    static readonly string[] DateFormats = ["yyyy-MM-dd"];

    /// <summary>
    /// Both ends are required: a date (<c>2026-03-01</c>; <paramref name="to"/> then counts its whole day) or an
    /// ISO 8601 time with an offset. The format is <c>csv</c> (the default) or <c>jsonl</c>.
    /// </summary>
    public Outcome<AuditRange> Check(string? from, string? to, string? format)
    {
        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
        {
            return Problem.BadRequest("Give the range to export: from and to, as dates (yyyy-mm-dd).");
        }
        if (Parse(from, endOfDay: false) is not { } start)
        {
            return Problem.BadRequest("'{0}' is not a date; write it as yyyy-mm-dd.", Clip(from));
        }
        if (Parse(to, endOfDay: true) is not { } end)
        {
            return Problem.BadRequest("'{0}' is not a date; write it as yyyy-mm-dd.", Clip(to));
        }
        if (end <= start)
        {
            return Problem.BadRequest("The range must end after it starts.");
        }
        var kind = string.IsNullOrWhiteSpace(format) ? "csv" : format.Trim().ToLowerInvariant();
        if (kind is not ("csv" or "jsonl"))
        {
            return Problem.BadRequest("The format must be csv or jsonl.");
        }
        return new AuditRange(start, end, kind == "csv");
    }

    public async Task WriteAsync(AuditRange range, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
        if (range.Csv)
        {
            // With a BOM, Excel opens Korean text correctly.
            await writer.WriteAsync('\uFEFF');
            await writer.WriteAsync(Csv([Columns]));
        }
        long after = 0;
        while (true)
        {
            var rows = await db.Audit.AsNoTracking().Where(a => a.At >= range.From && a.At < range.To && a.Id > after)
                .OrderBy(a => a.Id).Take(Batch).ToListAsync(ct);
            if (rows.Count == 0)
            {
                break;
            }
            after = rows[^1].Id;
            await writer.WriteAsync(range.Csv ? Csv(rows.Select(Cells)) : JsonLines(rows));
            await writer.FlushAsync(ct);
        }
        await writer.FlushAsync(ct);
    }

    static string[] Cells(AuditEntry a) =>
    [
        a.Id.ToString(CultureInfo.InvariantCulture), DateTime.SpecifyKind(a.At, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
        a.ActorId?.ToString(CultureInfo.InvariantCulture) ?? "", a.ActorEmail ?? "", a.Action, a.Target ?? "", a.Detail ?? "", a.IpAddress ?? "",
    ];

    static string Csv(IEnumerable<string[]> records)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            foreach (var record in records)
            {
                foreach (var cell in record)
                {
                    csv.WriteField(cell);
                }
                csv.EndRecord();
            }
        }
        return text.ToString();
    }

    static string JsonLines(List<AuditEntry> rows)
    {
        var text = new StringBuilder();
        foreach (var a in rows)
        {
            text.Append(JsonSerializer.Serialize(new AuditDto(a.Id, DateTime.SpecifyKind(a.At, DateTimeKind.Utc), a.ActorId, a.ActorEmail, a.Action, a.Target, a.Detail, a.IpAddress),
                JsonSerializerOptions.Web)).Append('\n');
        }
        return text.ToString();
    }

    static DateTime? Parse(string text, bool endOfDay)
    {
        text = text.Trim();
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return DateTime.SpecifyKind(endOfDay ? day.AddDays(1) : day, DateTimeKind.Utc);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.UtcDateTime : null;
    }

    static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
