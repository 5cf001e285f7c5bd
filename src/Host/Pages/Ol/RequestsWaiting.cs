namespace Booking.Host.Pages.Ol;

/// <summary>
/// "Your request is waiting for &lt;business&gt;." (or "Your 2 requests are…"): the client's booking requests the business
/// has not decided yet, said by <c>Shared/_RequestsWaiting.cshtml</c> on My appointments and on the landing page.
/// <paramref name="ListUrl"/>: null on My appointments itself (the requests are "under Upcoming"), else the link to it.
/// </summary>
public sealed record RequestsWaiting(int Count, string? ListUrl = null);
