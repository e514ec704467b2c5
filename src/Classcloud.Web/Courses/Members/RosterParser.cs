using System.Globalization;
using System.Net.Mail;
using System.Text;
using Classcloud.Web.Accounts;
using CsvHelper;

namespace Classcloud.Web.Courses;

/// <summary>One data row of a roster file; Error says why it cannot be used (e.g. an invalid e-mail).</summary>
public sealed record RosterLine(int Line, string Email, string Name, string? StudentNumber, RosterError? Error);

public enum RosterError
{
    MissingEmail,
    InvalidEmail,
    FieldTooLong,
    BadQuoting,
}

public enum RosterFileError
{
    Empty,
    NoEmailColumn,
    TooManyRows,
}

public sealed record RosterParse(IReadOnlyList<RosterLine> Lines, RosterFileError? Error);

/// <summary>
/// Reads a roster CSV as Korean schools export it (seed 002): UTF-8 with or without a BOM, or
/// EUC-KR/CP949 from Excel; comma, semicolon or tab separated; a header row naming the columns in
/// Korean or English (이메일/e-mail, 이름/name, 학번/student number), or no header when the first
/// cell is already an address (then the order is e-mail, name, student number).
/// </summary>
public static class RosterParser
{
    static readonly Dictionary<string, int> Headers = new()
    {
        ["email"] = 0, ["e-mail"] = 0, ["mail"] = 0, ["emailaddress"] = 0, ["이메일"] = 0, ["메일"] = 0, ["전자우편"] = 0, ["이메일주소"] = 0, ["전자메일"] = 0,
        ["name"] = 1, ["fullname"] = 1, ["studentname"] = 1, ["이름"] = 1, ["성명"] = 1, ["학생명"] = 1, ["학생이름"] = 1,
        ["studentnumber"] = 2, ["studentid"] = 2, ["studentno"] = 2, ["number"] = 2, ["학번"] = 2, ["번호"] = 2, ["학생번호"] = 2,
    };

    public static Encoding DetectEncoding(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            return Encoding.UTF8;
        }
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes);
            return Encoding.UTF8;
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: Korean Excel writes CP949 (a superset of EUC-KR).
            return Encoding.GetEncoding(949);
        }
    }

    public static RosterParse Parse(byte[] bytes, int maxRows)
    {
        var encoding = DetectEncoding(bytes);
        var text = encoding.GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        var lines = new List<RosterLine>();
        var badLines = new HashSet<long>();
        var options = new CsvReaderOptions
        {
            HasHeader = false,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            // One bad quote ends at the line break instead of swallowing the rest of the file.
            AllowLineBreaksInQuotes = false,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record => badLines.Add(record.LineNumber),
            MaxRecordSize = 64 * 1024,
        };
        using var reader = CsvReader.FromText(text, options);
        int[]? columns = null;
        while (reader.Read())
        {
            var row = reader.Current.ToArray();
            var line = (int)reader.LineNumber;
            if (row.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            if (columns is null)
            {
                columns = HeaderColumns(row);
                if (columns is null)
                {
                    if (!row[0].Contains('@', StringComparison.Ordinal))
                    {
                        return new RosterParse([], RosterFileError.NoEmailColumn);
                    }
                    columns = [0, 1, 2];
                }
                else
                {
                    continue;
                }
            }
            if (lines.Count == maxRows)
            {
                return new RosterParse([], RosterFileError.TooManyRows);
            }
            lines.Add(ToLine(line, row, columns, badLines.Contains(line)));
        }
        return lines.Count == 0 ? new RosterParse([], RosterFileError.Empty) : new RosterParse(lines, null);
    }

    /// <summary>Column positions of e-mail, name and student number (-1 when absent); null when the row is not a header.</summary>
    static int[]? HeaderColumns(string[] row)
    {
        int[] columns = [-1, -1, -1];
        for (var i = 0; i < row.Length; i++)
        {
            var key = new string(row[i].Where(c => !char.IsWhiteSpace(c) && c is not ('_' or '.' or '(' or ')')).ToArray()).ToLowerInvariant();
            if (Headers.TryGetValue(key, out var which) || Headers.TryGetValue(key.Replace("-", "", StringComparison.Ordinal), out which))
            {
                if (columns[which] < 0)
                {
                    columns[which] = i;
                }
            }
        }
        return columns[0] >= 0 ? columns : null;
    }

    static RosterLine ToLine(int line, string[] row, int[] columns, bool badQuoting)
    {
        string Cell(int which) => columns[which] >= 0 && columns[which] < row.Length ? row[columns[which]].Trim() : "";
        var email = Cell(0);
        var name = Cell(1);
        var number = Cell(2);
        RosterError? error = badQuoting ? RosterError.BadQuoting
            : email.Length == 0 ? RosterError.MissingEmail
            : !IsEmail(email) ? RosterError.InvalidEmail
            : name.Length > AccountLimits.Name || number.Length > CourseLimits.StudentNumber || name.Any(char.IsControl) || number.Any(char.IsControl) ? RosterError.FieldTooLong
            : null;
        return new RosterLine(line, email, name, number.Length == 0 ? null : number, error);
    }

    static bool IsEmail(string email) =>
        email.Length <= AccountLimits.Email && MailAddress.TryCreate(email, out var address) &&
        address.Address == email && address.Host.Contains('.', StringComparison.Ordinal);
}
