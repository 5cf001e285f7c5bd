using Booking.Appointments.Features.PortalAppointments;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// What the portal says of an appointment on a day the business has since closed (the answer's <c>onClosedDay</c>,
/// decision 325). A closed day cancels nothing (decision 289), so the appointment stands; the pages say so plainly, with no
/// blame, and what the client can do there and then: "Harbour Physio has since closed on this day. They may be in touch;
/// you can choose a new time or cancel it." One wording for My appointments, Change time and Cancel.
/// </summary>
public static class ClosedDay
{
    /// <summary>Which page says it: the options are worded for where the client is.</summary>
    public enum Here
    {
        /// <summary>My appointments: its links follow the line.</summary>
        List,

        /// <summary>Change time, with its times below.</summary>
        Move,

        /// <summary>Cancel, with its form below.</summary>
        Cancel,

        /// <summary>A page that already says why it cannot be changed and how to reach the business: no options.</summary>
        Elsewhere,
    }

    /// <param name="reachable">The business gave a phone, email or address: only then may the note end "or you can contact
    /// them" where the client can do nothing online (decision 359).</param>
    public static string Note(string business, PortalAppointmentView a, DateTimeOffset now, Here here, bool reachable)
    {
        var said = $"{business} has since closed on this day. They may be in touch";
        if (here == Here.Elsewhere)
        {
            return said + ".";
        }

        var move = a.CanMove ? (here == Here.Move ? "choose a new time below" : "choose a new time") : null;
        var cancel = a.CanCancel ? CancelWords(a, now) + (here == Here.Cancel ? " below" : "") : null;
        return (move, cancel) switch
        {
            ({ } m, { } c) when here == Here.Cancel => $"{said}; you can {c} or {m}.",
            ({ } m, { } c) => $"{said}; you can {m} or {c}.",
            ({ } m, null) => $"{said}; you can {m}.",
            (null, { } c) => $"{said}; you can {c}.",
            _ when reachable => $"{said}, or you can contact them.",
            _ => $"{said}.",
        };
    }

    /// <summary>As the cancel link names it: a booking request is withdrawn; inside a window that takes requests, asked about.</summary>
    private static string CancelWords(PortalAppointmentView a, DateTimeOffset now) =>
        a.Status == "requested" ? "withdraw the request"
        : a.Status == "confirmed" && a.CancellationPolicy.TakesRequests && a.CancellationPolicy.IsInside(a.Start, now) ? "ask to cancel it"
        : "cancel it";
}
