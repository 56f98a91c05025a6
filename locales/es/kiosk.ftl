# Congélo kiosk — español.

language-name = Español
meta-money-style = comma-after
# How this language writes a time of day (a chrono format): 16:43.
meta-time-format = %H:%M

idle-scan-card = Escanee su tarjeta
idle-scan-card-hint = Si tiene una
idle-scan-pack = Escanee un producto
idle-scan-pack-hint = El código de barras de la bolsa
idle-pick-picture = No puedo escanear

cart-less = Uno menos
cart-more = Uno más
cart-quantity = Cantidad
cart-remove = Quitar
cart-empty = Escanee un producto
cart-welcome = Bienvenido
cart-total = Total
cart-pay = Pagar
cart-pictures = Imágenes
cart-cancel-all = Cancelar todo
cart-cash-total = Efectivo:
undo-line = Quitó { $name } del carrito.
undo-cart = Canceló todo.
undo-button = Deshacer

grid-title = Toque el producto
grid-back = Volver
grid-type-code = Escribir el número del código de barras
grid-code-field = Número del código de barras
grid-code-ok = Agregar

unknown-title = Código desconocido
unknown-text = Este código no se reconoce. Intente otra vez o elija la imagen.
unknown-pictures = Imágenes
notice-ok = OK
recalled-title = No comer
recalled-text = Este paquete ha sido retirado. Póngalo en la caja para el personal. No se lo lleve.
recalled-ok = OK, lo puse en la caja

card-welcome-title = ¡Bienvenido!
card-welcome-text = Escanee sus productos.
card-expired-title = Tarjeta vencida
card-revoked-title = Tarjeta anulada
card-unknown-title = Tarjeta desconocida
card-refused-text = Pida una tarjeta nueva en la recepción. Puede comprar al precio normal.
card-buy-full-price = Comprar al precio normal
card-refused-cancel = Cancelar

cap-title = Límite alcanzado
# { $period } is cap-period-week or cap-period-month; { $count } packs.
cap-period-week = esta semana
cap-period-month = este mes
cap-left-items = Todavía puede agregar { $count ->
        [one] 1 producto
       *[other] { $count } productos
    } { $period }.
cap-full = No puede agregar nada más { $period }: su carrito está en el límite.
cap-over-items = Su carrito supera el límite permitido { $period }: quite { $count ->
        [one] 1 producto
       *[other] { $count } productos
    }.
cap-left-amount = Todavía puede gastar { $amount } { $period }, además de su carrito.
cap-over-amount = Su carrito supera en { $amount } el límite permitido { $period }: quite productos.
cap-back-to-cart = Volver al carrito

pay-total = A pagar
pay-choose = ¿Cómo paga?
pay-method-cash = Efectivo
pay-method-prepaid = Mi saldo prepagado
pay-method-pay-later = Pagar después
pay-method-card = Tarjeta de débito o crédito
pay-back = Volver

cash-amount = Ponga en la caja
cash-instructions = Deje el dinero en la caja y luego toque «Ya pagué».
cash-confirm = Ya pagué

prepaid-after = Saldo después de la compra
prepaid-confirm = Pagar con mi saldo

pay-later-owed = Deberá en total
pay-later-confirm = Pagar después

terminal-waiting-title = Siga la terminal
terminal-waiting-text = Pague en la terminal:
terminal-declined-title = Pago rechazado
terminal-timeout-title = La terminal no responde
terminal-failed-text = Intente otra vez o elija otra forma de pago.
terminal-cancel = Cancelar
terminal-retry = Intentar otra vez
terminal-other-method = Otra forma de pago

done-title = ¡Gracias!
done-text = Tome sus productos y cierre bien el congelador.

still-there-title = ¿Sigue ahí?
still-there-yes = Sí, aquí estoy

out-of-order-title = Fuera de servicio
out-of-order-cannot-record = Este congelador no puede registrar compras por ahora. El personal está avisado.
out-of-order-not-configured = Este congelador todavía no está configurado.

sync-pending = { $count ->
        [0] Todo enviado
        [one] 1 en espera
       *[other] { $count } en espera
    }
sync-last = último envío { $time }

## Modo personal

out-of-order-cold-chain = El congelador se calentó demasiado. Un miembro del personal debe revisarlo.
staff-pin-title = Código PIN
staff-pin-attempts = { $count ->
        [one] Queda 1 intento
       *[other] Quedan { $count } intentos
    }
staff-pin-locked = Credencial bloqueada hasta las { $time }
staff-menu-title = Personal
staff-menu = Menú
staff-leave = Salir
staff-restock = Rellenar
staff-count = Contar
staff-loss = Retirar
staff-levels = Existencias
staff-lots = Lotes y fechas
staff-alarms = Alarmas
staff-temperature = Temperatura
staff-sync = Envío al centro
staff-enrol = Vincular al centro
staff-pick-product = Escanee una bolsa o toque su imagen.
staff-lot = Lote
staff-best-before = Consumir preferentemente antes de
staff-best-before-earlier = Un mes antes
staff-best-before-later = Un mes después
staff-book-level = Según el registro:
staff-reason-thawed = Descongelado
staff-reason-damaged = Dañado
staff-reason-expired = Vencido
staff-reason-other = Otro
staff-fewer = Uno menos
staff-more = Uno más
staff-quantity = Cantidad
staff-save = Guardar
staff-choose-reason = Elija primero el motivo
staff-first-out = vender primero
staff-recalled = RETIRADO — sacar
staff-clear-hold = Congelador revisado: reanudar las ventas
staff-no-alarms = Ninguna alarma.
staff-24h-ago = hace 24 h
staff-now = ahora
staff-no-reading = Sin medida
staff-sync-now = Enviar ahora
staff-sync-off = Este congelador aún no está vinculado al centro.
staff-sync-error = Último error: { $why }
staff-clock-suspect = El reloj del congelador parece incorrecto.
staff-no-hub = Ninguna dirección de centro configurada
staff-enrol-text = Escanee el código QR de inscripción que muestra el centro.
staff-notice-saved = Guardado ✓
staff-notice-wrong-pin = Código PIN incorrecto
staff-notice-enrolling = Inscripción en curso…
staff-notice-enrolled = Congelador vinculado al centro ✓
staff-notice-enrol-failed = Inscripción rechazada: { $why }
staff-notice-no-hub = Ninguna dirección de centro en la configuración.
staff-notice-sync-requested = Envío solicitado
staff-notice-badge-locked = Credencial bloqueada: espere hasta la hora indicada.
staff-notice-hold-cleared = Ventas reanudadas ✓
staff-notice-recalled = Lote retirado: no lo ponga en el congelador
staff-alarm-cold-chain = Demasiado calor durante demasiado tiempo
staff-alarm-cold-chain-over = Temperatura normal de nuevo
staff-alarm-probe-lost = Sonda sin respuesta
staff-alarm-probe-back = Sonda de nuevo activa
staff-alarm-door-open = Puerta abierta demasiado tiempo
staff-alarm-door-closed = Puerta cerrada
staff-alarm-recalled = Paquete retirado escaneado
staff-alarm-recalled-seen = Paquetes retirados vistos por el personal

## Voice: what the speaker says on each resident screen (assets/voice/es/<id>.ogg)

listen = Escuchar
voice-idle = ¡Hola! Escanee su tarjeta si tiene una, y luego escanee sus productos. Si un producto no se escanea, toque «No puedo escanear».
voice-cart = Escanee sus otros productos. Cuando termine, toque el botón verde «Pagar».
voice-grid = Toque la imagen de su producto.
voice-unknown-code = Este código no se reconoce. Intente otra vez, o elija la imagen del producto.
voice-recalled-lot = No coma este producto: ha sido retirado. Póngalo en la caja para el personal. No se lo lleve.
voice-card-accepted = ¡Bienvenido! Escanee sus productos.
voice-card-refused = Esta tarjeta no se puede usar. Pida una tarjeta nueva en la recepción. Puede comprar al precio normal.
voice-cap-reached = Llegó a su límite. Este producto no se agregó: devuélvalo al congelador.
voice-payment-choice = ¿Cómo paga? Toque uno de los botones.
voice-cash = Ponga en la caja el dinero que se ve en la pantalla, y luego toque «Ya pagué».
voice-prepaid = Para pagar con su saldo, toque «Pagar con mi saldo».
voice-pay-later = Para pagar después, toque «Pagar después».
voice-terminal-waiting = Siga las instrucciones del terminal de pago.
voice-terminal-failed = El pago no se realizó. Intente otra vez, o elija otra forma de pagar.
voice-done = ¡Gracias! Tome sus productos y cierre bien el congelador.
voice-still-there = ¿Sigue ahí? Toque «Sí, aquí estoy» para conservar su carrito.
voice-out-of-order = Este congelador está fuera de servicio por ahora. Por favor, vuelva más tarde.

## Number pads (the code under a barcode, the staff PIN)
keypad-erase = Borrar el último número
keypad-clear = Borrar todo

## Temperature chart (staff)
staff-chart-limit = Límite
