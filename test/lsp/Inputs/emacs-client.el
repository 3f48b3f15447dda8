;;; emacs-client.el --- drive concur --lsp from Emacs, headless  -*- lexical-binding: t -*-
;;
;; emacs --batch -l emacs-client.el -- CLIENT
;;
;; CLIENT is `eglot' or `lsp-mode'. Opens workers.cpp of $CONCUR_ROOT in
;; c++-mode, connects concur (the command in $CONCUR_BIN, a wrapper that
;; writes the server's exit status to $CONCUR_OUT.exit), waits for the
;; diagnostics the client keeps, inserts three lines, waits for them to
;; move, fixes the finding, waits for it to go, then shuts the server down
;; the way the client does. Writes what the client received to $CONCUR_OUT;
;; any error is written there too.

(require 'cl-lib)
(package-initialize)

(defvar concur-root (getenv "CONCUR_ROOT"))
(defvar concur-out (getenv "CONCUR_OUT"))
(defvar concur-client (car (last command-line-args-left)))
(setq command-line-args-left nil)

;; Keep the clients' state out of the user's home.
(setq user-emacs-directory (expand-file-name "emacs.d/" concur-root))

(defun concur-log (fmt &rest args)
  (with-temp-buffer
    (insert (apply #'format fmt args) "\n")
    (append-to-file (point-min) (point-max) concur-out)))

(defun concur-wait (what pred)
  "Process the server's output until PRED holds, or fail after 120 s."
  (let ((deadline (+ (float-time) 120)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall pred)
      (error "timed out waiting for %s" what))))

;;; What each client keeps: a list of (LINE COL END-COL SOURCE CODE MESSAGE
;;; RELATED HREF), lines and columns 1-based as an editor shows them.

(defvar concur-diagnostics nil)

(defun concur-record (diagnostics)
  (setq concur-diagnostics
        (sort
         (mapcar
          (lambda (d)
            (let* ((range (plist-get d :range))
                   (start (plist-get range :start))
                   (end (plist-get range :end)))
              (list (1+ (plist-get start :line))
                    (1+ (plist-get start :character))
                    (1+ (plist-get end :character))
                    (plist-get d :source) (plist-get d :code)
                    ;; One line: a client without relatedInformation gets
                    ;; the evidence appended to the message.
                    (replace-regexp-in-string "\n" " | " (plist-get d :message))
                    (length (plist-get d :relatedInformation))
                    (plist-get (plist-get d :codeDescription) :href))))
          (append diagnostics nil))
         (lambda (a b) (< (car a) (car b))))))

(defun concur-show (label)
  (concur-log "%s" label)
  (dolist (d concur-diagnostics)
    (concur-log "%d:%d-%d %s %s %s related=%d href=%s"
                (nth 0 d) (nth 1 d) (nth 2 d) (nth 3 d) (nth 4 d) (nth 5 d)
                (nth 6 d) (or (nth 7 d) "nil"))))

(defun concur-on-line (line)
  (lambda () (cl-some (lambda (d) (= (car d) line)) concur-diagnostics)))

(defun concur-workers-uri-p (uri)
  (string-suffix-p "/workers.cpp" uri))

;;; eglot: one server per buffer; sends languageId "c++" for c++-mode and
;;; "params": null with shutdown and exit.

(defun concur-start-eglot ()
  (require 'eglot)
  (cl-defmethod eglot-handle-notification :after
    (_server (_method (eql textDocument/publishDiagnostics)) &key uri diagnostics
             &allow-other-keys)
    (when (concur-workers-uri-p uri)
      (concur-record diagnostics)))
  (setq eglot-server-programs `((c++-mode ,(getenv "CONCUR_BIN"))))
  (setq eglot-sync-connect t eglot-autoshutdown nil)
  ;; The project is the test's directory (it has no version control).
  (add-hook 'project-find-functions (lambda (_dir) (cons 'transient concur-root)))
  ;; M-x eglot, without its questions: eglot-ensure connects only after the
  ;; next command, which never comes in batch mode.
  (apply #'eglot (eglot--guess-contact))
  (concur-wait "eglot to connect" (lambda () (eglot-current-server))))

(defun concur-stop-eglot ()
  (eglot-shutdown (eglot-current-server)))

;;; lsp-mode: concur as an add-on client beside clangd (which this machine
;;; need not have: only concur is enabled); sends languageId "cpp".

(defun concur-start-lsp-mode ()
  (setq lsp-session-file (expand-file-name "lsp-session" concur-root)
        lsp-auto-guess-root t lsp-guess-root-without-session t
        lsp-enabled-clients '(concur) lsp-restart 'ignore
        lsp-keep-workspace-alive nil lsp-enable-file-watchers nil
        lsp-diagnostics-provider :none lsp-modeline-diagnostics-enable nil
        lsp-headerline-breadcrumb-enable nil lsp-enable-snippet nil
        lsp-log-io nil)
  (require 'lsp-mode)
  ;; The snippet of docs/lsp.md, with the test's command.
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (list (getenv "CONCUR_BIN")))
    :activation-fn (lsp-activate-on "c" "cpp")
    :add-on? t
    :server-id 'concur))
  (add-hook 'lsp-diagnostics-updated-hook
            (lambda ()
              (let ((ds (gethash (buffer-file-name (get-file-buffer
                                                    (expand-file-name "workers.cpp" concur-root)))
                                 (lsp-diagnostics t))))
                (concur-record
                 (mapcar (lambda (d) (lsp--diagnostic-to-plist d)) ds)))))
  (lsp-workspace-folders-add concur-root)
  (lsp)
  (concur-wait "lsp-mode to connect" (lambda () (lsp-workspaces))))

(defun lsp--diagnostic-to-plist (d)
  ;; lsp-mode keeps diagnostics as hash tables (or plists, when built with
  ;; lsp-use-plists); turn them into the plists concur-record reads.
  (if (hash-table-p d)
      (let ((conv nil))
        (setq conv (lambda (v)
                     (cond ((hash-table-p v)
                            (let (pl)
                              (maphash (lambda (k x)
                                         (setq pl (plist-put pl (intern (concat ":" k))
                                                             (funcall conv x))))
                                       v)
                              pl))
                           ((vectorp v) (mapcar conv v))
                           (t v))))
        (funcall conv d))
    d))

(defun concur-stop-lsp-mode ()
  (lsp-workspace-shutdown (car (lsp-workspaces))))

;;; The session.

(defun concur-send-changes ()
  ;; eglot sends its changes from an idle timer, which never fires in batch
  ;; mode: send them as that timer would. lsp-mode sends them from
  ;; after-change-functions already.
  (when (equal concur-client "eglot")
    (eglot--signal-textDocument/didChange)))

(defun concur-run ()
  (find-file (expand-file-name "workers.cpp" concur-root))
  (c++-mode)
  (pcase concur-client
    ("eglot" (concur-start-eglot))
    ("lsp-mode" (concur-start-lsp-mode))
    (_ (error "unknown client %s" concur-client)))
  (concur-wait "diagnostics on open" (concur-on-line 11))
  (concur-show "opened")

  ;; Three comment lines above the sleep: the diagnostic follows.
  (goto-char (point-min))
  (forward-line 9)
  (insert "  // a\n  // b\n  // c\n")
  (concur-send-changes)
  (concur-wait "the diagnostic to move" (concur-on-line 14))
  (concur-show "edited")

  ;; Unlocking before the sleep fixes it.
  (forward-line 1)
  (insert "  Mu.unlock();\n")
  (concur-send-changes)
  (concur-wait "the fix to clear the diagnostic" (lambda () (null concur-diagnostics)))
  (concur-show "fixed")

  (pcase concur-client
    ("eglot" (concur-stop-eglot))
    ("lsp-mode" (concur-stop-lsp-mode)))
  (let ((exit-file (concat concur-out ".exit")))
    (concur-wait "the server to exit" (lambda () (file-exists-p exit-file)))
    (concur-log "server exit %s"
                (string-trim (with-temp-buffer
                               (insert-file-contents exit-file)
                               (buffer-string))))))

(condition-case err
    (concur-run)
  (error (concur-log "error: %s" (error-message-string err))))
(kill-emacs 0)
