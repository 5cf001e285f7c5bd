namespace Booking.Host.Pages.Staff;

/// <summary>
/// How a reason box staff type in says that the client reads it: the reason is put in the client's email (a request's
/// decline or kept cancellation request, an appointment cancelled from the diary). One source for every such label.
/// </summary>
public static class ReasonWords
{
    public const string SentToClient = ", sent to the client (optional)";
}
