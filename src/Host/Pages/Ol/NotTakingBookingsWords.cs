using Booking.Appointments.Features.PortalAppointments;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// What the portal says where nothing can be booked online and the business gave no phone, email or address to contact
/// it by (s42 review #6): not "please contact them directly", which sends the client looking for what is not there.
/// </summary>
public static class NotTakingBookingsWords
{
    /// <summary>
    /// Where a page cannot help (portal off, an access level off, no sign-in): said only with the contact under it
    /// (<see cref="PortalChrome.HasContactFor"/>); without one, <see cref="NoContact"/> or nothing.
    /// </summary>
    public const string ContactDirectly = "Please contact the business directly.";

    /// <summary>The API's words too (409 <c>slot-unavailable</c> while nothing is bookable): one source.</summary>
    public static string NoContact(string name) => BookPortalAppointmentHandler.NoContact(name);

    /// <summary>
    /// Where the client's own appointment cannot be changed online (Change time, Cancel, My appointments, removing a pet):
    /// the sentence sending them to the business only with its contact to show (decision 359); without one, that the
    /// business gave none here: "Harbour Physio hasn't given a phone number or email address here."
    /// </summary>
    public static string Ask(bool reachable, string ask, string name) => reachable ? ask : NoContactGiven(name);

    /// <summary>"Harbour Physio hasn't given a phone number or email address here."</summary>
    public static string NoContactGiven(string name) => BookPortalAppointmentHandler.NoContactGiven(name);
}
