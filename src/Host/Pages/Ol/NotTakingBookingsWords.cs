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

    public static string NoContact(string name) =>
        $"{name} hasn't given a phone number or email address here, so please check this page again later.";
}
