namespace Booking.PortalAuth.Domain;

/// <summary>
/// Where a client stands as they sign in (made only by <c>FirstRequestOwed.StandingAsync</c>: the status from the row the
/// sign-in already loads, the first-request mark by that one rule): one answer for both
/// sign-ins (<c>auth/sign-in</c>'s answer, <c>phone/verify</c>'s <c>signed-in</c>) and for the session's
/// <c>awaiting_first_request</c> claim. <see cref="Status"/>: <c>active</c>, or <c>pending-approval</c> while the business
/// has not approved the client (their bookings are requests). <see cref="AwaitingFirstRequest"/>: a phone new client
/// who has not sent their first booking request (only the booking flow answers until they do). Two fields: the limits
/// are separate and can overlap. <see cref="HasPassword"/>: the row has a password (phone-only clients have none); the
/// session keeps it (<c>PortalSessions</c>), so its pages know whether to offer "Password" without asking again.
/// <see cref="SecurityStamp"/>: the row's <see cref="Client.SecurityStamp"/> as the sign-in read it (before the password's
/// check; a phone sign-in with the client it found by the verified mobile): the session is stored only while the row
/// still carries it (<c>PortalSessions.SignInAsync</c>, decision 337).
/// </summary>
public sealed record ClientStanding(string Status, bool AwaitingFirstRequest, bool HasPassword, int SecurityStamp);
