using Booking.Services.Features.Readiness;

namespace Booking.Host.Pages.Staff.Setup;

/// <summary>One line of "Ready to take bookings?": what is needed, whether it is there, and what to do where.</summary>
public sealed record ReadinessItem(string Check, bool Met, string Title, string Detail, string? LinkText, string? Href);

/// <summary>
/// Setup → Client Portal's "Ready to take bookings?" list (review J10): each of <see cref="GetBookingReadiness"/>'s
/// checks in words, an unmet one with what to do and a link to the page that does it.
/// </summary>
public static class ReadinessList
{
    public static IReadOnlyList<ReadinessItem> Items(BookingReadiness readiness) =>
        readiness.Checks.Select(c => Item(c, readiness.HorizonDays)).ToList();

    private static ReadinessItem Item(ReadinessCheck c, int horizonDays)
    {
        var service = c.Service?.Name;
        var diary = c.Diary?.Name;
        var days = horizonDays == 1 ? "day" : $"{horizonDays} days";
        return c.Check switch
        {
            ReadinessChecks.OnlineService => c.Met
                ? new(c.Check, true, "A service clients can book online", $"{service} is bookable online.", null, null)
                : c.Reason == "no-services"
                    ? new(c.Check, false, "A service clients can book online", "You have no services yet. Add one: its name, length and price.", "Add a service", "/staff/setup/services/new")
                    : new(c.Check, false, "A service clients can book online",
                        "None of your services is bookable online. Open one in Setup → Services and tick \"Clients may book it online\" (or restore a retired one).",
                        "Setup → Services", "/staff/setup/services"),
            ReadinessChecks.OnlineDiary => c.Met
                ? new(c.Check, true, "A diary that offers it online", $"{diary}'s diary offers {service} online.", null, null) // the diary, not the person: a room's reads right too (decision 292)
                : c.Reason switch
                {
                    "no-diaries" => new(c.Check, false, "A diary that offers it online",
                        "You have no active diary yet. Add a diary (the person or room that takes the appointments) in Setup → Roster, then tick it on the service under \"Diaries that provide it in the Client Portal\".",
                        "Setup → Roster", "/staff/setup/roster"),
                    "not-offered" => new(c.Check, false, "A diary that offers it online",
                        $"No active diary offers {service} online. Tick a diary under \"Diaries that provide it in the Client Portal\".",
                        $"Edit {service}", $"/staff/setup/services/{c.Service!.Id}#diaries"),
                    _ => new(c.Check, false, "A diary that offers it online",
                        "Once a service is bookable online, tick the diary that provides it under \"Diaries that provide it in the Client Portal\".",
                        "Setup → Services", "/staff/setup/services"),
                },
            ReadinessChecks.OnlineHours => c.Met
                ? new(c.Check, true, $"Online hours in the next {days}", $"{diary} has hours clients can book online.", null, null)
                : c.Reason switch
                {
                    "no-online-hours" => new(c.Check, false, $"Online hours in the next {days}",
                        $"{diary} has no hours clients can book online in the next {days}. Add weekly roster hours and tick \"Online\" for the times clients may book.",
                        $"{diary}'s roster", $"/staff/setup/roster/{c.Diary!.Id}#week"),
                    "hours-too-short" => new(c.Check, false, $"Online hours in the next {days}",
                        $"{diary}'s online hours after your minimum notice are all too short for {service}, so it never fits. Lengthen the online blocks, or shorten the service or the notice.",
                        $"{diary}'s roster", $"/staff/setup/roster/{c.Diary!.Id}#week"),
                    "fully-booked" => new(c.Check, false, $"Online hours in the next {days}",
                        $"Every time clients could book {service} online in the next {days} is taken. Add online hours, or lengthen the booking horizon.",
                        $"{diary}'s roster", $"/staff/setup/roster/{c.Diary!.Id}#week"),
                    "notice-beyond-horizon" => new(c.Check, false, $"Online hours in the next {days}",
                        "Your minimum notice reaches past your booking horizon, so no time can be booked. Shorten the notice or lengthen the horizon in the booking rules.",
                        "Booking rules", "/staff/setup/roster#rules-heading"),
                    _ => new(c.Check, false, $"Online hours in the next {days}",
                        "Give that diary weekly roster hours and tick \"Online\" for the times clients may book.",
                        "Setup → Roster", "/staff/setup/roster"),
                },
            ReadinessChecks.PortalEnabled => c.Met
                ? new(c.Check, true, "Client Portal enabled", "Your Client Portal is on.", null, null)
                : new(c.Check, false, "Client Portal enabled", "Your Client Portal is off: clients cannot sign in or book. Tick \"Enable Client Portal\" and save the settings.",
                    "Enable Client Portal", "/staff/setup/portal#Settings_Enabled"),
            ReadinessChecks.BookAccess => c.Met
                ? new(c.Check, true, "Clients may make new bookings", "Clients may book online.", null, null)
                : new(c.Check, false, "Clients may make new bookings", "Clients cannot book online. Tick \"Make new bookings\" under \"Clients may\" and save the settings.",
                    "Make new bookings", "/staff/setup/portal#Settings_CanBook"),
            _ => new(c.Check, c.Met, c.Check, c.Reason ?? "", null, null),
        };
    }
}
