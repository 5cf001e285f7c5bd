using Booking.Roster.Contracts;

namespace Booking.Host.Pages.Staff.Setup.Services;

/// <summary>
/// How Setup → Services words a switched-off diary (decision 220), in one place for the services list's Client Portal
/// column and the service's own page: the portal offers a service only in its diaries that are switched on
/// (<see cref="DiaryView.Active"/>), so a switched-off diary is named as such, and a service whose diaries are all off
/// is said to be not bookable online.
/// </summary>
public static class SwitchedOffDiaries
{
    /// <summary>"Sam Rivera", or "Sam Rivera (switched off)" for a diary that takes no online bookings.</summary>
    public static string Label(DiaryView diary) => diary.Active ? diary.Name : $"{diary.Name} (switched off)";

    /// <summary>
    /// Why a service clients could otherwise book online is not in the portal because every diary providing it is
    /// switched off; null when one of its diaries is on (or it has none: that is said apart). No full stop: the list
    /// and the service's page add their own.
    /// </summary>
    public static string? AllOff(IReadOnlyCollection<Guid> diaryIds, IReadOnlyDictionary<Guid, DiaryView> diaries) =>
        diaryIds.Count > 0 && diaryIds.All(id => diaries.TryGetValue(id, out var d) && !d.Active)
            ? diaryIds.Count == 1
                ? "Not bookable online: its only diary is switched off"
                : "Not bookable online: all its diaries are switched off"
            : null;

    /// <summary>What a switched-off diary means for online booking, said beside the service's diary checkboxes.</summary>
    public const string Meaning =
        "A switched-off diary takes no online bookings: clients can book this service online only with a ticked diary that is switched on.";
}
