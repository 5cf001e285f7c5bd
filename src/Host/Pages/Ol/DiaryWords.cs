using Booking.Roster.Contracts;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// How the portal names diaries by their kind (decision 280): a person's "with Aoife", a room's or equipment's
/// "— Room Two"; the diary choice's label and "any" option say what is true of the diaries on offer.
/// </summary>
public static class DiaryWords
{
    /// <summary>The summary's label beside the diary: "With" (a person), "Where" (a room or equipment).</summary>
    public static string Label(string? kind) => DiaryKinds.IsResource(kind) ? "Where" : "With";

    /// <summary>The diary choice's label: "With" when only people offer the service, "Where" when only rooms or equipment, else "With or where".</summary>
    public static string ChoiceLabel(IEnumerable<string> kinds)
    {
        var set = kinds.Select(k => DiaryKinds.IsResource(k)).Distinct().ToList();
        return set.Count > 1 ? "With or where" : set is [true] ? "Where" : "With";
    }

    /// <summary>
    /// A chosen diary that does not (or no longer) offer the service online, in words for its kind (decision 292): "Anna
    /// does not offer Full groom online, so this time can't be booked with them." for a person, "Grooming table 2 is no
    /// longer available for Full groom online, so this time can't be booked there." for a room or equipment. A diary
    /// not on file (null name) reads as a person's, as before.
    /// </summary>
    public static string NotOffering(string? kind, string? name, string service) =>
        name is not null && DiaryKinds.IsResource(kind)
            ? $"{name} is no longer available for {service} online, so this time can't be booked there."
            : $"{name ?? "The person you chose"} does not offer {service} online, so this time can't be booked with them.";

    /// <summary>"Anyone available" when only people offer the service; with a room or equipment among them, "Any available" (no person is promised).</summary>
    public static string AnyChoice(IEnumerable<string> kinds) => kinds.Any(DiaryKinds.IsResource) ? "Any available" : "Anyone available";
}
