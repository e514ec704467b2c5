using Classcloud.Web.Hosting;

namespace Classcloud.Web.Accounts;

/// <summary>
/// Collects a form's problems per field, so one answer names every mistake (the sign-up page shows each under
/// its input). The answer is 400 with <see cref="Problem.Errors"/>, or 409 when the only problem is a conflict
/// (an address already registered).
/// </summary>
public sealed class FieldErrors
{
    readonly Dictionary<string, List<Problem>> byField = new(StringComparer.Ordinal);

    public void Add(string field, Problem? problem)
    {
        if (problem is null)
        {
            return;
        }
        if (!byField.TryGetValue(field, out var list))
        {
            byField[field] = list = [];
        }
        list.Add(problem);
    }

    public bool Has(string field) => byField.ContainsKey(field);

    /// <summary>One problem naming every field's errors, or null when there are none.</summary>
    public Problem? ToProblem()
    {
        if (byField.Count == 0)
        {
            return null;
        }
        var all = byField.Values.SelectMany(p => p).ToList();
        var status = all.All(p => p.Status == StatusCodes.Status409Conflict) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return new Problem(status, string.Join(" ", all.Select(p => p.Detail)))
        {
            Errors = byField.ToDictionary(f => f.Key, f => f.Value.Select(p => p.Detail).ToArray(), StringComparer.Ordinal),
        };
    }
}
