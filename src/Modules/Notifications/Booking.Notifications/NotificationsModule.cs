using Booking.BuildingBlocks.Data;
using Booking.Notifications.Data;
using Booking.Notifications.Delivery;
using Booking.Notifications.Features;
using Booking.Notifications.Features.DevMail;
using Booking.Notifications.Features.Messages;
using Booking.Notifications.Rendering;
using FluentValidation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Booking.Notifications;

public static class NotificationsModule
{
    public static IServiceCollection AddNotificationsModule(this IServiceCollection services)
    {
        services.AddModuleDatabase<NotificationsDbContext>();
        services.AddValidatorsFromAssemblyContaining<NotificationsDbContext>(ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new SmtpOptions());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(DeliveryOptions.Section).Get<DeliveryOptions>() ?? new DeliveryOptions());
        // SMTP when configured; else Development keeps mail in its local sink (/dev/mail); else every send fails, saying why.
        services.AddScoped<IMailTransport>(sp =>
        {
            var smtp = sp.GetRequiredService<SmtpOptions>();
            if (smtp.IsConfigured)
            {
                return new SmtpMailTransport(smtp);
            }

            return sp.GetRequiredService<IHostEnvironment>().IsDevelopment()
                ? ActivatorUtilities.CreateInstance<DevMailSink>(sp)
                : new UnconfiguredMailTransport();
        });
        services.AddScoped<INotificationFacts, ContractFacts>();
        services.AddScoped<EmailRenderer>();
        services.AddScoped<Booking.BuildingBlocks.Security.IEmailedLinks, Features.Settings.ConfirmationLinks>();
        services.AddScoped<MessageSender>();
        services.AddScoped<MessageWriter>();
        services.AddScoped<Features.Settings.ConfirmationMailer>();
        services.AddScoped<Features.Settings.ConfirmationRequests>();
        services.AddSingleton<MessageQueue>();
        services.AddTransient<MessageDeliveryJob>();
        services.AddHostedService<DeliverySweeper>();
        services.AddOldMessagesCleanup();
        return services;
    }

    public static IEndpointRouteBuilder MapNotificationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapTemplates();
        app.MapNotificationSettings();
        app.MapMessages();
        Features.Unsubscribe.UnsubscribeEndpoints.MapUnsubscribe(app);
        var environment = app.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (environment.IsDevelopment())
        {
            app.MapDevMail();
        }

        return app;
    }
}
