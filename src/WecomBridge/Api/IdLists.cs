using System.ComponentModel.DataAnnotations;

namespace WecomBridge.Api;

/// <summary>Validation of id lists in request bodies: bounded count, each a well-formed id, no repeats.</summary>
internal static class IdLists
{
    public static IEnumerable<ValidationResult> Check(IReadOnlyList<string?>? ids, string name, int maxCount, int maxLength)
    {
        if (ids is null) yield break;
        if (ids.Count > maxCount)
        {
            yield return new($"{name} has {ids.Count} ids; at most {maxCount} are allowed.", [name]);
            yield break;
        }
        for (var i = 0; i < ids.Count; i++)
            if (!WeComIdAttribute.IsValid(ids[i], maxLength))
                yield return new($"{name}[{i}] must be 1–{maxLength} characters of ASCII letters, digits and _-.@", [$"{name}[{i}]"]);
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            yield return new($"{name} repeats an id.", [name]);
    }

    public static IEnumerable<ValidationResult> AddOrRemove(IReadOnlyList<string?>? add, IReadOnlyList<string?>? remove)
    {
        if ((add?.Count ?? 0) + (remove?.Count ?? 0) == 0)
            yield return new("Give at least one id in add or remove.", ["add", "remove"]);
        else if (add is not null && remove is not null && add.Intersect(remove, StringComparer.Ordinal).Any())
            yield return new("An id cannot be both added and removed.", ["add", "remove"]);
    }
}
