using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Classcloud.Web.Hosting;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Assignments;

/// <summary>Checks a create or update body and turns it into rows; every refusal names the field and the limit.</summary>
public static partial class AssignmentValidation
{
    public sealed record Parsed(Assignment Fields, IReadOnlyList<AssignmentTest> Tests);

    public static Outcome<Parsed> Parse(AssignmentRequest r, DateTime now, IStringLocalizer t)
    {
        var title = r.Title?.Trim() ?? "";
        if (title.Length is 0 or > AssignmentLimits.Title)
        {
            return Bad(t["The title is required and at most {0} characters.", AssignmentLimits.Title]);
        }
        var slug = string.IsNullOrWhiteSpace(r.Slug) ? Slugify(title) : r.Slug.Trim();
        if (!SlugPattern().IsMatch(slug))
        {
            return Bad(t["The folder name (slug) must be 1–64 lower-case letters, digits and dashes, starting with a letter or digit."]);
        }
        var description = r.Description ?? "";
        if (description.Length > AssignmentLimits.Description)
        {
            return Bad(t["The description is at most {0} characters.", AssignmentLimits.Description]);
        }
        var language = r.Language?.Trim().ToLowerInvariant() ?? AssignmentLanguages.Python;
        if (!AssignmentLanguages.All.Contains(language))
        {
            return Bad(t["The language must be one of: {0}.", string.Join(", ", AssignmentLanguages.All)]);
        }
        var run = string.IsNullOrWhiteSpace(r.RunCommand) ? null : r.RunCommand.Trim();
        if (run is { Length: > AssignmentLimits.RunCommand } || (language == AssignmentLanguages.Custom && run is null))
        {
            return Bad(t["A custom language needs a run command (at most {0} characters).", AssignmentLimits.RunCommand]);
        }
        var opens = r.OpensAt?.UtcDateTime ?? now;
        if (r.DueAt is not { } dueOffset || dueOffset.UtcDateTime <= opens)
        {
            return Bad(t["The due time is required and must be after the open time."]);
        }
        var due = dueOffset.UtcDateTime;
        var late = r.LatePolicy ?? new LatePolicyRequest(LatePolicies.None, null, null);
        var kind = late.Kind?.Trim().ToLowerInvariant() ?? LatePolicies.None;
        if (!LatePolicies.All.Contains(kind))
        {
            return Bad(t["The late policy must be one of: {0}.", string.Join(", ", LatePolicies.All)]);
        }
        var until = late.Until?.UtcDateTime;
        if (kind != LatePolicies.None && (until is null || until <= due))
        {
            return Bad(t["A late policy needs an end (until) after the due time."]);
        }
        if (kind == LatePolicies.Penalty && late.PercentPerDay is not (>= 1 and <= 100))
        {
            return Bad(t["The late penalty must be 1–100 percent per day."]);
        }
        var starter = ParseStarter(r.StarterFiles ?? [], t);
        if (!starter.Succeeded)
        {
            return starter.Problem!;
        }
        var tests = new List<AssignmentTest>();
        foreach (var (test, i) in (r.Tests ?? []).Select((x, i) => (x, i)))
        {
            var parsed = ParseTest(test, i, t);
            if (!parsed.Succeeded)
            {
                return parsed.Problem!;
            }
            tests.Add(parsed.Value!);
        }
        if (tests.Count > AssignmentLimits.MaxTests)
        {
            return Bad(t["At most {0} tests.", AssignmentLimits.MaxTests]);
        }
        var fields = new Assignment
        {
            Title = title, Slug = slug, Description = description, Language = language, RunCommand = run, OpensAt = opens, DueAt = due,
            LatePolicy = kind, LatePenaltyPercent = kind == LatePolicies.Penalty ? late.PercentPerDay!.Value : 0,
            LateUntil = kind == LatePolicies.None ? null : until, StarterFilesJson = starter.Value!,
        };
        return new Parsed(fields, tests);
    }

    static Outcome<string> ParseStarter(IReadOnlyList<StarterFile> files, IStringLocalizer t)
    {
        if (files.Count > AssignmentLimits.MaxStarterFiles)
        {
            return Bad(t["At most {0} starter files.", AssignmentLimits.MaxStarterFiles]);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var clean = new List<StarterFile>();
        foreach (var file in files)
        {
            var path = file.Path?.Trim() ?? "";
            if (!IsSafePath(path) || !seen.Add(path))
            {
                return Bad(t["Starter file path '{0}' is not allowed: relative, no '..', no duplicates, at most 200 characters.", path]);
            }
            var content = file.Content ?? "";
            total += Encoding.UTF8.GetByteCount(content);
            if (total > AssignmentLimits.MaxStarterBytes)
            {
                return Bad(t["The starter files are at most {0} KiB together.", AssignmentLimits.MaxStarterBytes / 1024]);
            }
            clean.Add(new StarterFile(path, content));
        }
        // A file and a directory of the same name cannot both exist.
        if (seen.Any(p => seen.Any(q => q.StartsWith(p + "/", StringComparison.Ordinal))))
        {
            return Bad(t["A starter file cannot also be a folder of another starter file."]);
        }
        return JsonSerializer.Serialize(clean, JsonSerializerOptions.Web);
    }

    /// <summary>Relative, '/'-separated, no empty, '.' or '..' segment, no control characters or backslashes.</summary>
    public static bool IsSafePath(string path) =>
        path.Length is > 0 and <= 200 && !path.StartsWith('/') && !path.Any(c => char.IsControl(c) || c == '\\')
        && path.Split('/').All(s => s.Length > 0 && s != "." && s != "..");

    static Outcome<AssignmentTest> ParseTest(TestRequest r, int index, IStringLocalizer t)
    {
        var name = string.IsNullOrWhiteSpace(r.Name) ? $"Test {index + 1}" : r.Name.Trim();
        var compare = r.Compare?.Trim().ToLowerInvariant() ?? CompareModes.Trimmed;
        var visibility = r.Visibility?.Trim().ToLowerInvariant() ?? TestVisibility.Visible;
        var (stdin, expected) = (r.Stdin ?? "", r.ExpectedStdout ?? "");
        var (points, time, memory) = (r.Points ?? 1, r.TimeLimitMs ?? 2000, r.MemoryMb ?? 256);
        if (name.Length > AssignmentLimits.TestName || stdin.Length > AssignmentLimits.TestText || expected.Length > AssignmentLimits.TestText)
        {
            return Bad(t["Test {0}: the name is at most {1} characters, input and expected output at most {2}.", index + 1, AssignmentLimits.TestName, AssignmentLimits.TestText]);
        }
        if (!CompareModes.All.Contains(compare) || !TestVisibility.All.Contains(visibility))
        {
            return Bad(t["Test {0}: compare must be one of {1}; visibility one of {2}.", index + 1, string.Join(", ", CompareModes.All), string.Join(", ", TestVisibility.All)]);
        }
        if (points is < 0 or > AssignmentLimits.MaxPoints || time is < 100 or > AssignmentLimits.MaxTimeLimitMs || memory is < 16 or > AssignmentLimits.MaxMemoryMb)
        {
            return Bad(t["Test {0}: points 0–{1}, time limit 100–{2} ms, memory 16–{3} MB.", index + 1, AssignmentLimits.MaxPoints, AssignmentLimits.MaxTimeLimitMs, AssignmentLimits.MaxMemoryMb]);
        }
        if (compare == CompareModes.Regex && !OutputComparer.IsValidRegex(expected))
        {
            return Bad(t["Test {0}: the expected output is not a valid regular expression.", index + 1]);
        }
        if (compare == CompareModes.Numeric && !OutputComparer.IsNumericSpec(expected))
        {
            return Bad(t["Test {0}: numeric comparison expects numbers separated by white space.", index + 1]);
        }
        return new AssignmentTest
        {
            Position = index, Name = name, Stdin = stdin, ExpectedStdout = expected, Compare = compare, Points = points,
            TimeLimitMs = time, MemoryMb = memory, Visibility = visibility,
        };
    }

    static string Slugify(string title)
    {
        var slug = new StringBuilder();
        foreach (var c in title.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var text = slug.ToString().Trim('-');
        text = text.Length > 40 ? text[..40].TrimEnd('-') : text;
        // Korean titles have no ASCII letters: a short random name keeps the folder typeable in a terminal.
        return text.Length > 0 ? text : "assignment-" + Guid.NewGuid().ToString("N")[..6];
    }

    static Problem Bad(string detail) => Problem.BadRequest(detail);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex SlugPattern();
}
