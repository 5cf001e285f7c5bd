using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Appointments;

public static class AppointmentsModule
{
    public static IServiceCollection AddAppointmentsModule(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAppointmentsEndpoints(this IEndpointRouteBuilder app) => app;
}
