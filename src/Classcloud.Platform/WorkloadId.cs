using System.Text.RegularExpressions;

namespace Classcloud.Platform;

/// <summary>
/// The stable name of a workload: a DNS label (lowercase letters, digits, '-'; at most 50
/// characters so drivers can append a replica suffix and still fit 63). It is also the host name
/// other workloads on the same tenant network use to reach it.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(WorkloadIdJsonConverter))]
public readonly partial record struct WorkloadId
{
    /// <summary>Creates an id after checking it is a valid name.</summary>
    /// <exception cref="ArgumentException">The value is not a lowercase DNS label of at most 50 characters.</exception>
    public WorkloadId(string value)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException($"'{value}' is not a valid name: use 1–50 lowercase letters, digits and '-', starting and ending with a letter or digit.", nameof(value));
        }
        Value = value;
    }

    /// <summary>The name itself.</summary>
    public string Value { get; }

    /// <summary>Whether a string is usable as a workload, tenant or volume name.</summary>
    public static bool IsValid(string? value) => value is not null && NamePattern().IsMatch(value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$")]
    private static partial Regex NamePattern();
}

/// <summary>Writes a <see cref="WorkloadId"/> as its string.</summary>
internal sealed class WorkloadIdJsonConverter : System.Text.Json.Serialization.JsonConverter<WorkloadId>
{
    public override WorkloadId Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        new(reader.GetString() ?? "");

    public override void Write(System.Text.Json.Utf8JsonWriter writer, WorkloadId value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
