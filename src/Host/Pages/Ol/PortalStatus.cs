namespace Booking.Host.Pages.Ol;

/// <summary>
/// An appointment's status in the client's words, with how it ended (the API's <c>ended</c>): a booking request the
/// client withdrew, or the business declined or cancelled, never reads as a cancelled appointment, since nothing was
/// booked.
/// </summary>
public static class PortalStatus
{
    public static string Text(string status, string? ended) => ended switch
    {
        "withdrawn" => "Request withdrawn",
        "declined" => "Request declined",
        "request-cancelled" => "Request cancelled by the business",
        _ => PortalTime.Status(status),
    };
}
