namespace Booking.BuildingBlocks.Web;

/// <summary>
/// The absolute addresses of a business's portal pages that messages hand out (emails, texts, the staff pages' portal
/// URL), on the public origin (<see cref="PublicOrigin"/>): one place for their shape, so every module links the same page.
/// </summary>
public static class PortalAddresses
{
    /// <summary>The booking URL, the portal's only entry (<c>/ol/book?name=</c>).</summary>
    public static string Book(string origin, string slug) => $"{origin.TrimEnd('/')}/ol/book?name={Uri.EscapeDataString(slug)}";

    /// <summary>
    /// The client's own appointments (<c>/ol/appointments?name=</c>): where "See your appointments" leads. The page asks a
    /// signed-out client to sign in first and comes back.
    /// </summary>
    public static string Appointments(string origin, string slug) => $"{origin.TrimEnd('/')}/ol/appointments?name={Uri.EscapeDataString(slug)}";

    /// <summary>
    /// One appointment's cancel page (<c>/ol/cancel?name=&amp;id=</c>): the way to it for a client whose business hides
    /// the list of appointments. The page asks a signed-out client to sign in first.
    /// </summary>
    public static string Cancel(string origin, string slug, Guid appointmentId) =>
        $"{origin.TrimEnd('/')}/ol/cancel?name={Uri.EscapeDataString(slug)}&id={appointmentId}";
}
